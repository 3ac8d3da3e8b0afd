import { isTerminalScanStatus, PASSABLE_SCAN_STATUSES } from "../core/scanStatus.ts";
import { SEVERITIES } from "../core/severity.ts";
import type { ScanRecord } from "./Candidate.ts";

/** Which of two results for the same platform image is kept. */
export type ScanChoice = "current" | "incoming" | "identical";

/**
 * Chooses the scan result to keep for a platform image, independently of arrival order (events are
 * redelivered and reordered, so "last to arrive" means nothing):
 * 1. a terminal result beats a pending one (IN_PROGRESS after COMPLETE is a late or stale event, and a
 *    child never goes back to "not ready");
 * 2. otherwise the newer result (`at`) wins: a rescan after FAILED or LIMIT_EXCEEDED replaces it;
 * 3. at the same time, a failing status beats a passing one, then more findings beat fewer (fail closed);
 * 4. then the greater event id, status and scanner name: a total order, so any permutation of the same
 *    events ends with the same result.
 * Same status, counts, scanner and time is "identical" (a redelivery under another id).
 * A decided candidate takes no more scans at all: later findings go through re-evaluation, not the gate.
 * @example pickScan({ status: "IN_PROGRESS", … }, { status: "COMPLETE", … }) // => "incoming"
 */
export function pickScan(current: ScanRecord | undefined, incoming: ScanRecord): ScanChoice {
  if (current === undefined) return "incoming";
  if (sameResult(current, incoming)) return "identical";
  return compare(incoming, current) > 0 ? "incoming" : "current";
}

function compare(a: ScanRecord, b: ScanRecord): number {
  return (
    Number(isTerminalScanStatus(a.status)) - Number(isTerminalScanStatus(b.status)) ||
    order(a.at, b.at) ||
    failing(a) - failing(b) ||
    compareCounts(a, b) ||
    order(a.eventId, b.eventId) ||
    order(a.status, b.status) ||
    order(a.scanner, b.scanner)
  );
}

/** More findings (most severe first) wins a tie: fail closed. */
function compareCounts(a: ScanRecord, b: ScanRecord): number {
  for (const severity of SEVERITIES) {
    const diff = a.counts[severity] - b.counts[severity];
    if (diff !== 0) return diff;
  }
  return 0;
}

function failing(scan: ScanRecord): number {
  return isTerminalScanStatus(scan.status) && !PASSABLE_SCAN_STATUSES.includes(scan.status) ? 1 : 0;
}

function sameResult(a: ScanRecord, b: ScanRecord): boolean {
  return (
    a.status === b.status &&
    a.scanner === b.scanner &&
    a.at === b.at &&
    SEVERITIES.every((severity) => a.counts[severity] === b.counts[severity])
  );
}

/** Code-unit order (ISO 8601 UTC times sort correctly as strings); no locale involved. */
function order(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
