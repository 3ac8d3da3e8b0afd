import type { Candidate } from "../release/Candidate.ts";
import type { StateIndexing } from "./DynamoReleaseStore.ts";

/** How candidates are indexed for the reconciler and expired. */
export interface CandidateIndexingOptions {
  /** A candidate still scanning this long after registration is polled for lost scan events. */
  readonly pollAfterMinutes: number;
  /** Failed and timed-out candidates expire this long after their decision (DynamoDB TTL). */
  readonly retentionDays: number;
}

/** The defaults of {@link CandidateIndexingOptions}. */
export const candidateIndexingDefaults: CandidateIndexingOptions = {
  pollAfterMinutes: 10,
  retentionDays: 180,
};

/**
 * Indexes a candidate for the reconciler: a scanning candidate is due for polling `pollAfterMinutes` after
 * registration (or at its deadline, if sooner); a decided or promoted one is due at once, until the handler
 * that wrote it confirms its side effects (events, notifications, promotion) and settles it; a promoted one
 * owing a grace-period demotion is due at that deadline. Rejected
 * candidates expire after `retentionDays`; promoted ones stay (the audit trail of what was released).
 * @example new DynamoReleaseStore({ client, tableName, indexing: candidateIndexing() })
 */
export function candidateIndexing(
  options: Partial<CandidateIndexingOptions> = {},
): (state: Candidate) => StateIndexing {
  const { pollAfterMinutes, retentionDays } = { ...candidateIndexingDefaults, ...options };
  return (state) => {
    switch (state.phase) {
      case "scanning": {
        const poll = Date.parse(state.registeredAt) + pollAfterMinutes * 60_000;
        return {
          phase: state.phase,
          due: new Date(Math.min(poll, Date.parse(state.deadline))).toISOString(),
        };
      }
      case "decided": {
        const { outcome, at } = state.decision;
        if (outcome === "passed") return { phase: state.phase, due: at };
        const expiresAt = Math.floor(Date.parse(at) / 1000) + retentionDays * 86_400;
        return { phase: state.phase, due: at, expiresAt };
      }
      case "promoted":
        return { phase: state.phase, due: state.watch?.demotion?.at ?? state.promotion.at };
    }
  };
}
