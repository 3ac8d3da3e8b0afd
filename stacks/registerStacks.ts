import type { App } from "sst/constructs";
import { Core } from "./Core.ts";

/** Adds every Portcullis stack to the app, in dependency order. */
export function registerStacks(app: App): void {
  app.setDefaultFunctionProps({ runtime: "nodejs22.x", architecture: "arm_64" });
  app.stack(Core);
}
