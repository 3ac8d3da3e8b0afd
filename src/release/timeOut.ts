import type { Candidate, DecidedCandidate } from "./Candidate.ts";
import { readyToDecide } from "./readyToDecide.ts";
import { changed, rejected, type Transition, unchanged } from "./Transition.ts";
import { toInstant } from "./toInstant.ts";
import { waitingChildren } from "./waitingChildren.ts";

/**
 * Fails a candidate closed when its deadline has passed with scans still missing: decided `timed-out`,
 * the reasons listing each waiting platform and its last status. Unchanged when already decided, not yet
 * due, or when every scan is in ("ready-to-evaluate": evaluate it instead, the scans did arrive).
 * @example const t = timeOut(state, clock.now()); // the reconciler, on a schedule
 */
export function timeOut(state: Candidate, now: Date): Transition {
  if (state.phase !== "scanning") return unchanged(state, "already-decided");
  const at = toInstant(now, "now");
  if (!at.ok) return rejected(at.error);
  if (readyToDecide(state)) return unchanged(state, "ready-to-evaluate");
  if (at.value <= state.deadline) return unchanged(state, "not-due");
  const waiting = waitingChildren(state).map((child) => ({
    digest: child.digest,
    platform: child.platform,
    status: state.scans[child.digest]?.status ?? null,
  }));
  const next: DecidedCandidate = {
    ...state,
    phase: "decided",
    decision: {
      outcome: "timed-out",
      at: at.value,
      reasons: { kind: "timeout", deadline: state.deadline, waiting },
    },
  };
  return changed(state, next, [{ kind: "decided", outcome: "timed-out" }]);
}
