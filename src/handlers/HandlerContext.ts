import { type ResolvedSettings, resolveSettings } from "./edge/handlerSettings.ts";
import type { HandlerDeps } from "./HandlerDeps.ts";

/** The deps a handler works with inside: settings resolved, and its own name for logs and metrics. */
export interface HandlerContext extends Omit<HandlerDeps, "settings"> {
  readonly settings: ResolvedSettings;
  /** `register`, `gate` or `reconcile`. */
  readonly handler: string;
}

/** Builds a handler's context once, when the factory is called. */
export function handlerContext(deps: HandlerDeps, handler: string): HandlerContext {
  return { ...deps, settings: resolveSettings(deps.settings), handler };
}
