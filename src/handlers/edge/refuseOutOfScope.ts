import type { Refused } from "../HandlerResult.ts";

/** What a handler gates: each part checked when it is set (the notify handler knows only repositories). */
export interface Scope {
  /** The AWS account Portcullis runs in. */
  readonly account?: string;
  /** Regions whose registry Portcullis gates (the primary region). */
  readonly regions?: readonly string[];
  /** Repositories Portcullis gates. */
  readonly repositories?: readonly string[];
}

/** Where an event says it comes from; a part left out is not checked. */
export interface EventOrigin {
  readonly account?: string;
  readonly region?: string;
  /** Absent for events about no repository (a scheduled tick). */
  readonly repository?: string;
}

/** The event's own field names for each part, when a refusal should name them (default: the part's name). */
export type OriginFields = Partial<Record<keyof EventOrigin, string>>;

/**
 * Refuses an event from another account, an unconfigured region or about an unconfigured repository.
 * Undefined when the event is in scope. (A rule pattern already filters most of these; this is the check that
 * holds even when a rule is too wide or an event is injected.) Every handler checks scope here.
 * @example refuseOutOfScope(settings, event) // => { kind: "refused", field: "account", … }
 */
export function refuseOutOfScope(
  scope: Scope,
  origin: EventOrigin,
  fields: OriginFields = {},
): Refused | undefined {
  const { account, regions, repositories } = scope;
  if (account !== undefined && origin.account !== undefined && origin.account !== account)
    return refused(
      fields.account ?? "account",
      origin.account,
      `is not the account Portcullis runs in (${account})`,
    );
  if (regions !== undefined && origin.region !== undefined && !regions.includes(origin.region))
    return refused(
      fields.region ?? "region",
      origin.region,
      `is not a region Portcullis gates (${regions.join(", ")})`,
    );
  if (
    repositories !== undefined &&
    origin.repository !== undefined &&
    !repositories.includes(origin.repository)
  )
    return refused(
      fields.repository ?? "repository",
      origin.repository,
      `is not a repository Portcullis gates (${repositories.join(", ")})`,
    );
  return undefined;
}

function refused(field: string, value: unknown, reason: string): Refused {
  return { kind: "refused", field, value, reason };
}
