import type { Candidate } from "./Candidate.ts";
import { nextAction, nextActionDefaults } from "./nextAction.ts";

/** Whether the reconciler should ask for another replication attempt now. */
export type ReplicationRetry =
  /** Nothing to retry: not promoted, every region replicated, or attempts spent. */
  | { readonly kind: "none" }
  /**
   * A region is owed a copy (failed with attempts left, or still on its first attempt), but its last attempt
   * (or the promotion) is too recent: Lambda's own retries, or the promotion's own event, may still run.
   */
  | { readonly kind: "wait"; readonly until: string; readonly regions: readonly string[] }
  /**
   * Ask again (re-publish "Image Promoted"). `effect` names this request once per retry window and attempt
   * state, so concurrent or repeated sweeps in one window ask once, and a request that got lost is asked
   * again in the next window.
   */
  | { readonly kind: "retry"; readonly regions: readonly string[]; readonly effect: string };

/** Options of {@link replicationRetry}. */
export interface ReplicationRetryOptions {
  /** Attempts per region before giving up (as the replicate handler counts them). */
  readonly maxReplicationAttempts: number;
  /** How old a region's last failed attempt must be before the reconciler asks again; also the window length. */
  readonly retryAfterMinutes: number;
}

/** The defaults of {@link ReplicationRetryOptions}. */
export const replicationRetryDefaults: ReplicationRetryOptions = {
  maxReplicationAttempts: nextActionDefaults.maxReplicationAttempts,
  retryAfterMinutes: 15,
};

/**
 * Decides whether a promoted candidate's replication should be asked for again: when `nextAction` says
 * replicate, once the newest attempt of those regions is `retryAfterMinutes` old. That includes a region still
 * on its first attempt (pending since the promotion): ECR's events are best effort, and an "Image Promoted"
 * event that was lost would otherwise leave it waiting for ever.
 * @example replicationRetry(state, now) // => { kind: "retry", regions: ["eu-west-1"], effect: "replicate-retry:eu-west-1#2:0" }
 */
export function replicationRetry(
  state: Candidate,
  now: Date,
  options: Partial<ReplicationRetryOptions> = {},
): ReplicationRetry {
  const { maxReplicationAttempts, retryAfterMinutes } = { ...replicationRetryDefaults, ...options };
  if (state.phase !== "promoted") return { kind: "none" };
  const action = nextAction(state, now, { maxReplicationAttempts });
  if (action.kind !== "replicate") return { kind: "none" };
  const owed = action.regions;
  const times = owed.map((region) => Date.parse(state.replicas[region]?.at ?? "")).filter(Number.isFinite);
  const last = Math.max(0, ...times);
  const windowMs = retryAfterMinutes * 60_000;
  const age = now.getTime() - last;
  if (age < windowMs) return { kind: "wait", until: new Date(last + windowMs).toISOString(), regions: owed };
  const attempts = action.regions.map((region) => `${region}#${state.replicas[region]?.attempts ?? 0}`);
  const window = Math.floor(age / windowMs) - 1;
  return {
    kind: "retry",
    regions: action.regions,
    effect: `replicate-retry:${attempts.join(",")}:${window}`,
  };
}
