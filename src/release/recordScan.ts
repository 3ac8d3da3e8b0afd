import type { Candidate } from "./Candidate.ts";
import { parseScan, type ScanInput } from "./parseScan.ts";
import { pickScan } from "./pickScan.ts";
import type { ReleaseEffect } from "./ReleaseEffect.ts";
import { readyToDecide } from "./readyToDecide.ts";
import { rememberEvent } from "./rememberEvent.ts";
import { changed, rejected, type Transition, unchanged } from "./Transition.ts";

/**
 * Records a platform child's scan result. Unchanged for a redelivered event id, an identical result, a
 * result that loses to the kept one (see pickScan) or a candidate already decided; rejected for an invalid
 * scan or a digest that is not one of the candidate's platform children. Effects: `scan-recorded`, and
 * `ready` when this scan completes the set.
 * @example
 * const t = recordScan(state, { digest, status: "COMPLETE", counts: { HIGH: 1 }, scanner: "basic", at, eventId });
 * if (t.kind === "changed") await store.saveCandidate(t.state);
 */
export function recordScan(state: Candidate, input: ScanInput): Transition {
  const parsed = parseScan(input);
  if (!parsed.ok) return rejected(parsed.error);
  const { digest, record } = parsed.value;
  if (!state.children.some((child) => child.digest === digest)) {
    const platforms = state.children.map((child) => child.platform).join(", ");
    return rejected([
      {
        field: "scan.digest",
        value: digest,
        message: `is not a platform image of ${state.key.digest} (${platforms})`,
      },
    ]);
  }
  if (state.phase !== "scanning") return unchanged(state, "already-decided");
  if (state.seenEvents.includes(record.eventId)) return unchanged(state, "duplicate");
  const choice = pickScan(state.scans[digest], record);
  if (choice === "identical") return unchanged(state, "duplicate");
  if (choice === "current") return unchanged(state, "stale");
  const next: Candidate = {
    ...state,
    scans: { ...state.scans, [digest]: record },
    seenEvents: rememberEvent(state.seenEvents, record.eventId),
  };
  const effects: ReleaseEffect[] = [{ kind: "scan-recorded", digest, status: record.status }];
  if (!readyToDecide(state) && readyToDecide(next)) effects.push({ kind: "ready" });
  return changed(state, next, effects);
}
