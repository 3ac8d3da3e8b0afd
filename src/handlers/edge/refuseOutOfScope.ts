import type { HandlerSettings } from "../HandlerDeps.ts";
import type { Refused } from "../HandlerResult.ts";

/** Where an event says it comes from. */
export interface EventOrigin {
  readonly account: string;
  readonly region: string;
  /** Absent for events about no repository (a scheduled tick). */
  readonly repository?: string;
}

/**
 * Refuses an event from another account, an unconfigured region or about an unconfigured repository.
 * Undefined when the event is in scope. (A rule pattern already filters most of these; this is the check that
 * holds even when a rule is too wide or an event is injected.)
 * @example refuseOutOfScope(settings, event) // => { kind: "refused", field: "account", … }
 */
export function refuseOutOfScope(settings: HandlerSettings, origin: EventOrigin): Refused | undefined {
  if (origin.account !== settings.account)
    return refused("account", origin.account, `is not the account Portcullis runs in (${settings.account})`);
  if (!settings.regions.includes(origin.region))
    return refused(
      "region",
      origin.region,
      `is not a region Portcullis gates (${settings.regions.join(", ")})`,
    );
  if (origin.repository !== undefined && !settings.repositories.includes(origin.repository))
    return refused(
      "repository",
      origin.repository,
      `is not a repository Portcullis gates (${settings.repositories.join(", ")})`,
    );
  return undefined;
}

function refused(field: string, value: unknown, reason: string): Refused {
  return { kind: "refused", field, value, reason };
}
