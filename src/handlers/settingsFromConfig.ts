import type { PortcullisConfig } from "../config/index.ts";
import type { Policy } from "../policy/index.ts";
import type { HandlerSettings } from "./HandlerDeps.ts";

/** What the configuration file does not say: the account it is deployed in, and the parsed policy. */
export interface SettingsContext {
  readonly account: string;
  readonly policy: Policy;
}

/**
 * Derives the handlers' settings from the validated configuration: the primary region is the one gated, the
 * configured repositories are the ones accepted, GitHub branches and tag patterns decide what may be promoted.
 * @example createGateHandler({ ...ports, store, settings: settingsFromConfig(config, { account, policy }) })
 */
export function settingsFromConfig(config: PortcullisConfig, context: SettingsContext): HandlerSettings {
  return {
    account: context.account,
    regions: [config.primaryRegion],
    repositories: config.repositories.map((repository) => repository.name),
    replicaRegions: config.replicaRegions,
    policy: context.policy,
    tagRules: config.tags,
    refFilter: { branches: config.github.branches, tagPatterns: config.github.tagPatterns },
    scanner: config.scanning,
  };
}
