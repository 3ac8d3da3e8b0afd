import type { Candidate } from "./Candidate.ts";
import { waitingChildren } from "./waitingChildren.ts";

/**
 * True when the candidate is still undecided and every platform child has a terminal scan: passable
 * (COMPLETE/ACTIVE) or not (FAILED, UNSUPPORTED_IMAGE, …, which the policy then fails).
 * @example if (readyToDecide(state)) decide(state, { outcome: verdict.outcome, reasons, now })
 */
export function readyToDecide(state: Candidate): boolean {
  return state.phase === "scanning" && waitingChildren(state).length === 0;
}
