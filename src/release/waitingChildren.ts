import { isTerminalScanStatus } from "../core/scanStatus.ts";
import type { Candidate, Child } from "./Candidate.ts";

/**
 * The platform children still without a terminal scan (none yet, or IN_PROGRESS/PENDING).
 * @example waitingChildren(state).map((child) => child.platform) // => ["linux/arm64"]
 */
export function waitingChildren(state: Candidate): Child[] {
  return state.children.filter((child) => {
    const scan = state.scans[child.digest];
    return scan === undefined || !isTerminalScanStatus(scan.status);
  });
}
