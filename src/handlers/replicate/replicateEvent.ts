import { type CandidateKey, fail, ok, type Result } from "../../core/index.ts";
import { normalizeEvent, PortcullisDetailType } from "../../events/index.ts";
import { refuseOutOfScope } from "../edge/refuseOutOfScope.ts";
import type { Refused } from "../HandlerResult.ts";

/**
 * Which events the replicate handler accepts (the same field names as the other handlers' settings, so one
 * settings object serves them all): events from this account, about candidates in a gated region and a
 * configured repository.
 */
export interface ReplicateScope {
  readonly account: string;
  /** Regions Portcullis gates (the primary): candidates live there, and replicas are copied from there. */
  readonly regions: readonly string[];
  readonly repositories: readonly string[];
}

/** An "Image Promoted" event refused for where it came from or what it names; nothing was done. */
export type ReplicateRefused = Refused;

/** What the replicate handler reads from an "Image Promoted" event, or why it refuses it. */
export type ReplicateRequest =
  | { readonly kind: "accepted"; readonly key: CandidateKey; readonly eventId: string }
  | ReplicateRefused;

/**
 * Validates a raw "Image Promoted" event (invalid: issues naming field and value) and checks its scope
 * (out of scope: a refusal, which the handler logs and returns without doing anything).
 * @example const request = parseReplicateEvent(event, { account, regions: [primary], repositories });
 */
export function parseReplicateEvent(raw: unknown, scope: ReplicateScope): Result<ReplicateRequest> {
  const normalized = normalizeEvent(raw);
  if (!normalized.ok) return normalized;
  const event = normalized.value;
  if (event.kind !== "portcullis" || event.detailType !== PortcullisDetailType.ImagePromoted) {
    const type = event.kind === "portcullis" ? event.detailType : event.kind;
    return fail([
      { field: "detail-type", value: type, message: `must be "${PortcullisDetailType.ImagePromoted}"` },
    ]);
  }
  const key = event.detail.candidate;
  const refusal = refuseOutOfScope(
    scope,
    { account: event.account, region: key.region, repository: key.repository },
    { region: "detail.candidate.region", repository: "detail.candidate.repository" },
  );
  if (refusal) return ok(refusal);
  return ok({ kind: "accepted", key, eventId: event.eventId });
}
