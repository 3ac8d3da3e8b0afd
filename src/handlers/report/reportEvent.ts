import { type CandidateKey, fail, ok, type Result } from "../../core/index.ts";
import { normalizeEvent, PortcullisDetailType } from "../../events/index.ts";
import { type BuildFacts, buildFacts, type RollbackNotice } from "../../report/index.ts";
import { refuseOutOfScope } from "../edge/refuseOutOfScope.ts";
import type { Refused } from "../HandlerResult.ts";

/** Which events the report handler accepts: from this account, about a gated region and repository. */
export interface ReportScope {
  readonly account: string;
  readonly regions: readonly string[];
  readonly repositories: readonly string[];
}

/** The Portcullis events that change what a candidate's check run shows. */
export const REPORTED_DETAIL_TYPES: readonly string[] = [
  PortcullisDetailType.CandidateRegistered,
  PortcullisDetailType.ReleaseDecided,
  PortcullisDetailType.ImagePromoted,
  PortcullisDetailType.ImageReplicated,
  PortcullisDetailType.ReplicationFailed,
  PortcullisDetailType.FindingOnPromotedImage,
  PortcullisDetailType.ImageUnmonitored,
  PortcullisDetailType.ReleaseRolledBack,
];

/** What a report event asks for. */
export type ReportRequest =
  | {
      readonly kind: "candidate";
      readonly key: CandidateKey;
      readonly eventId: string;
      readonly detailType: string;
      /** A rollback onto the candidate: its check run says so. */
      readonly rollback?: RollbackNotice;
    }
  | { readonly kind: "build"; readonly build: BuildFacts; readonly eventId: string }
  | { readonly kind: "ignored"; readonly reason: string }
  | Refused;

/**
 * Validates a raw event for the report handler (invalid: issues naming field and value) and says what to
 * report: a candidate (Portcullis events), a build (CodeBuild state change), nothing (a valid event the
 * report does not show, e.g. a build that succeeded: the candidate reports next), or a refusal (out of scope).
 * @example const request = parseReportEvent(event, { account, regions: [primary], repositories });
 */
export function parseReportEvent(raw: unknown, scope: ReportScope): Result<ReportRequest> {
  const normalized = normalizeEvent(raw);
  if (!normalized.ok) return normalized;
  const event = normalized.value;
  const foreign = refuseOutOfScope(scope, { account: event.account });
  if (foreign) return ok(foreign);
  if (event.kind === "build-state-changed") {
    if (event.status === "SUCCEEDED")
      return ok({ kind: "ignored", reason: "build succeeded: the candidate reports next" });
    const facts = buildFacts(event);
    if (!facts.ok) return fail(facts.error);
    return ok(
      refuseOutOfScope(scope, facts.value, { repository: "environment.PORTCULLIS_IMAGE" }) ?? {
        kind: "build",
        build: facts.value,
        eventId: event.eventId,
      },
    );
  }
  if (event.kind !== "portcullis")
    return ok({ kind: "ignored", reason: `${event.kind} events are not reported` });
  if (!REPORTED_DETAIL_TYPES.includes(event.detailType))
    return ok({ kind: "ignored", reason: `"${event.detailType}" does not change the check run` });
  const key = event.detail.candidate;
  const detail = event.detail as Partial<RollbackNotice>;
  const rollback =
    event.detailType === PortcullisDetailType.ReleaseRolledBack
      ? {
          tags: detail.tags ?? [],
          by: detail.by ?? "",
          reason: detail.reason ?? "",
          forced: detail.forced ?? false,
          from: detail.from ?? {},
        }
      : undefined;
  return ok(
    refuseOutOfScope(scope, key, { repository: "detail.candidate.repository" }) ?? {
      kind: "candidate",
      key,
      eventId: event.eventId,
      detailType: event.detailType,
      ...(rollback && { rollback }),
    },
  );
}
