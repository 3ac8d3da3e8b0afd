import type { Digest } from "../core/digest.ts";
import type { Candidate, DecisionOutcome, PromotedCandidate } from "./Candidate.ts";
import { readyToDecide } from "./readyToDecide.ts";
import { waitingChildren } from "./waitingChildren.ts";

/** What a handler should do next with a candidate. */
export type NextAction =
  /** Scans are missing; nothing to do before `until` unless a scan arrives. */
  | { readonly kind: "wait"; readonly until: string; readonly waiting: readonly Digest[] }
  /** Every child has a terminal scan: fetch findings, evaluate the policy, decide. */
  | { readonly kind: "evaluate" }
  /** Past the deadline with scans missing: call timeOut (fails closed). */
  | { readonly kind: "timed-out" }
  /** Passed: move these tags onto the digest, then markPromoted. */
  | { readonly kind: "promote"; readonly tags: readonly string[] }
  /** Promoted: copy to these regions (pending, or failed with attempts left). */
  | { readonly kind: "replicate"; readonly regions: readonly string[] }
  /** Nothing left to do; `failedRegions` gave up after the maximum attempts. */
  | { readonly kind: "done"; readonly outcome: DecisionOutcome; readonly failedRegions: readonly string[] };

/** Options of {@link nextAction}. */
export interface NextActionOptions {
  /** Replication attempts per region before giving up. */
  readonly maxReplicationAttempts: number;
}

/** The defaults of {@link NextActionOptions}. */
export const nextActionDefaults: NextActionOptions = { maxReplicationAttempts: 5 };

/**
 * Tells a handler (gate, reconciler, replicator) what a candidate needs next, from its state alone.
 * @example
 * const action = nextAction(state, clock.now());
 * if (action.kind === "evaluate") { … evaluate the policy, then decide(state, …) }
 */
export function nextAction(
  state: Candidate,
  now: Date,
  options: Partial<NextActionOptions> = {},
): NextAction {
  const { maxReplicationAttempts } = { ...nextActionDefaults, ...options };
  switch (state.phase) {
    case "scanning":
      if (readyToDecide(state)) return { kind: "evaluate" };
      if (now.getTime() > Date.parse(state.deadline)) return { kind: "timed-out" };
      return {
        kind: "wait",
        until: state.deadline,
        waiting: waitingChildren(state).map((child) => child.digest),
      };
    case "decided":
      if (state.decision.outcome === "passed") return { kind: "promote", tags: state.tags.promotion };
      return { kind: "done", outcome: state.decision.outcome, failedRegions: [] };
    case "promoted":
      return replicationAction(state, maxReplicationAttempts);
  }
}

function replicationAction(state: PromotedCandidate, maxAttempts: number): NextAction {
  const replicas = Object.entries(state.replicas);
  const regions = replicas
    .filter(([, r]) => r.status === "pending" || (r.status === "failed" && r.attempts < maxAttempts))
    .map(([region]) => region);
  if (regions.length > 0) return { kind: "replicate", regions };
  const failedRegions = replicas.filter(([, r]) => r.status === "failed").map(([region]) => region);
  return { kind: "done", outcome: "passed", failedRegions };
}
