import type { Candidate, PromotedCandidate, Replica } from "./Candidate.ts";
import type { ReleaseEffect } from "./ReleaseEffect.ts";
import { rememberEvent } from "./rememberEvent.ts";
import { changed, rejected, type Transition, unchanged } from "./Transition.ts";
import { toInstant } from "./toInstant.ts";

/** The result of one attempt to copy the promoted image to a region. */
export interface ReplicationInput {
  readonly region: string;
  readonly outcome: "replicated" | "failed";
  /** Why it failed (required for `failed`; kept to 1000 characters). */
  readonly error?: string;
  readonly now: Date;
  /** The triggering event's id, so a redelivered failure does not count as another attempt. */
  readonly eventId?: string;
}

const MAX_ERROR = 1000;

/**
 * Records a replication attempt for one target region. A region that already replicated stays so
 * (`unchanged` "already-replicated"); a failure counts an attempt and keeps the error; rejected before
 * promotion or for a region that is not a replication target. Effects: `replicated` (with `complete` when
 * every region is done) or `replication-failed`.
 * @example const t = recordReplication(state, { region: "eu-west-1", outcome: "replicated", now });
 */
export function recordReplication(state: Candidate, input: ReplicationInput): Transition {
  if (state.phase !== "promoted") {
    return rejected([
      { field: "phase", value: state.phase, message: "only a promoted candidate is replicated" },
    ]);
  }
  const current = state.replicas[input.region];
  if (current === undefined) {
    const targets = Object.keys(state.replicas).join(", ") || "none";
    return rejected([
      { field: "region", value: input.region, message: `is not a replication target (${targets})` },
    ]);
  }
  const now = toInstant(input.now, "now");
  if (!now.ok) return rejected(now.error);
  if (input.outcome !== "replicated" && input.outcome !== "failed") {
    return rejected([{ field: "outcome", value: input.outcome, message: "must be replicated or failed" }]);
  }
  if (input.outcome === "failed" && (typeof input.error !== "string" || input.error.length === 0)) {
    return rejected([{ field: "error", value: input.error, message: "must say why the replication failed" }]);
  }
  if (current.status === "replicated") return unchanged(state, "already-replicated");
  if (input.eventId !== undefined && state.seenEvents.includes(input.eventId))
    return unchanged(state, "duplicate");
  const replica: Replica =
    input.outcome === "replicated"
      ? { status: "replicated", attempts: current.attempts + 1, at: now.value }
      : {
          status: "failed",
          attempts: current.attempts + 1,
          error: (input.error ?? "").slice(0, MAX_ERROR),
          at: now.value,
        };
  const next: PromotedCandidate = {
    ...state,
    replicas: { ...state.replicas, [input.region]: replica },
    seenEvents:
      input.eventId === undefined ? state.seenEvents : rememberEvent(state.seenEvents, input.eventId),
  };
  return changed(state, next, [effectOf(next, input.region, replica)]);
}

function effectOf(state: PromotedCandidate, region: string, replica: Replica): ReleaseEffect {
  if (replica.status === "replicated") {
    const complete = Object.values(state.replicas).every((r) => r.status === "replicated");
    return { kind: "replicated", region, complete };
  }
  return { kind: "replication-failed", region, error: replica.error ?? "", attempts: replica.attempts };
}
