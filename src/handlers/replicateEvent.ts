import { type CandidateKey, fail, ok, type Result, type ValidationIssue } from "../core/index.ts";
import { normalizeEvent, PortcullisDetailType } from "../events/index.ts";

/** Which events the replicate handler accepts: its own account, the primary region, configured repositories. */
export interface ReplicateScope {
  /** The account the events must come from; omitted, any (the local pipeline). */
  readonly account?: string;
  /** Candidates live in the primary region; replicas are copied from there. */
  readonly primaryRegion: string;
  /** Repositories Portcullis manages; omitted, all. */
  readonly repositories?: readonly string[];
}

/** What the replicate handler reads from an "Image Promoted" event. */
export interface ReplicateRequest {
  readonly key: CandidateKey;
  readonly eventId: string;
}

/**
 * Validates a raw "Image Promoted" event and checks it is in scope; every issue names the field and value.
 * @example const request = parseReplicateEvent(event, { account, primaryRegion, repositories });
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
  const issues: ValidationIssue[] = [];
  if (scope.account !== undefined && event.account !== scope.account)
    issues.push({
      field: "account",
      value: event.account,
      message: `must be this account (${scope.account})`,
    });
  if (key.region !== scope.primaryRegion)
    issues.push({
      field: "detail.candidate.region",
      value: key.region,
      message: `must be the primary region (${scope.primaryRegion})`,
    });
  if (scope.repositories !== undefined && !scope.repositories.includes(key.repository))
    issues.push({
      field: "detail.candidate.repository",
      value: key.repository,
      message: `is not a configured repository (${scope.repositories.join(", ")})`,
    });
  return issues.length > 0 ? fail(issues) : ok({ key, eventId: event.eventId });
}
