import { PASSABLE_SCAN_STATUSES } from "../core/scanStatus.ts";
import type { Candidate, DecidedCandidate } from "./Candidate.ts";
import { isJsonValue, type JsonValue } from "./JsonValue.ts";
import { readyToDecide } from "./readyToDecide.ts";
import { changed, rejected, type Transition, unchanged } from "./Transition.ts";
import { toInstant } from "./toInstant.ts";
import { waitingChildren } from "./waitingChildren.ts";

/** The policy's verdict on a ready candidate. */
export interface DecideInput {
  readonly outcome: "passed" | "failed";
  /** The verdict summary to keep (blocked findings, allowlisted ones, warnings): plain JSON. */
  readonly reasons: JsonValue;
  readonly now: Date;
  /**
   * Platform digests the policy passed although ECR cannot scan them (an audited unsupported-image
   * exception): a pass accepts their stored UNSUPPORTED_IMAGE or FAILED scan, and no other status.
   */
  readonly excepted?: readonly string[];
}

/** The stored statuses an unsupported-image exception may stand in for. */
const EXCEPTABLE = ["UNSUPPORTED_IMAGE", "FAILED"];

/**
 * Records the gate's decision, exactly once: a second call is `unchanged` "already-decided". Rejected
 * before every child has a terminal scan, and — failing closed whatever the policy says — a `passed`
 * outcome is rejected unless every child's scan is COMPLETE or ACTIVE (or, for a child the policy passed by
 * an unsupported-image exception, UNSUPPORTED_IMAGE or FAILED). Timeouts go through timeOut.
 * @example
 * const t = decide(state, { outcome: verdict.passed ? "passed" : "failed", reasons: verdict.summary, now });
 */
export function decide(state: Candidate, input: DecideInput): Transition {
  if (state.phase !== "scanning") return unchanged(state, "already-decided");
  const now = toInstant(input.now, "now");
  if (!now.ok) return rejected(now.error);
  if (input.outcome !== "passed" && input.outcome !== "failed") {
    return rejected([{ field: "outcome", value: input.outcome, message: "must be passed or failed" }]);
  }
  if (!isJsonValue(input.reasons)) {
    return rejected([
      { field: "reasons", value: input.reasons, message: "must be plain JSON (no undefined, dates or NaN)" },
    ]);
  }
  if (!readyToDecide(state)) {
    const waiting = waitingChildren(state).map((child) => child.platform);
    return rejected([{ field: "scans", value: waiting, message: "are not all terminal: cannot decide yet" }]);
  }
  if (input.outcome === "passed") {
    const excepted = (digest: string) =>
      (input.excepted ?? []).includes(digest) && EXCEPTABLE.includes(scanStatus(state, digest));
    const unpassable = state.children.filter((c) => !isPassable(state, c.digest) && !excepted(c.digest));
    if (unpassable.length > 0) {
      const statuses = unpassable.map((c) => `${c.platform}: ${scanStatus(state, c.digest)}`);
      return rejected([
        {
          field: "outcome",
          value: "passed",
          message: `needs COMPLETE or ACTIVE scans (${statuses.join(", ")})`,
        },
      ]);
    }
  }
  const next: DecidedCandidate = {
    ...state,
    phase: "decided",
    decision: { outcome: input.outcome, at: now.value, reasons: input.reasons },
  };
  return changed(state, next, [{ kind: "decided", outcome: input.outcome }]);
}

function isPassable(state: Candidate, digest: string): boolean {
  const scan = state.scans[digest];
  return scan !== undefined && PASSABLE_SCAN_STATUSES.includes(scan.status);
}

function scanStatus(state: Candidate, digest: string): string {
  return state.scans[digest]?.status ?? "none";
}
