import type { App } from "sst/constructs";
import type { PortcullisConfig } from "../src/config/PortcullisConfig.ts";

const configs = new WeakMap<App, PortcullisConfig>();

/** Hands the validated configuration to every stack of an app (SST stack functions only get `{ app, stack }`). */
export function bindConfig(app: App, config: PortcullisConfig): void {
  configs.set(app, config);
}

/** The configuration bound to the app; throws when `registerStacks` did not bind one. */
export function useConfig(app: App): PortcullisConfig {
  const config = configs.get(app);
  if (config === undefined)
    throw new Error("no Portcullis configuration bound to this app: call registerStacks(app, config)");
  return config;
}

/** A construct id for a repository name (`shop/web` → `shop-web`): ids cannot contain `/`. */
export function idFor(name: string): string {
  return name.replace(/[^A-Za-z0-9-]+/g, "-");
}
