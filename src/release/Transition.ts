import type { ValidationIssue } from "../core/result.ts";
import type { Candidate } from "./Candidate.ts";
import type { ReleaseEffect } from "./ReleaseEffect.ts";

/** Why a transition left the state as it was (no write needed). */
export type UnchangedReason =
  | "duplicate"
  | "stale"
  | "already-decided"
  | "already-promoted"
  | "already-replicated"
  | "not-due"
  | "ready-to-evaluate"
  /** Listed findings are fewer than the scan counted: not decided before the scan deadline. */
  | "findings-lagging";

/**
 * The result of a transition: a new state to write (version + 1) with its effects, the same state with the
 * reason nothing changed, or a refusal naming the offending field and value.
 */
export type Transition =
  | { readonly kind: "changed"; readonly state: Candidate; readonly effects: readonly ReleaseEffect[] }
  | { readonly kind: "unchanged"; readonly reason: UnchangedReason; readonly state: Candidate }
  | { readonly kind: "rejected"; readonly issues: readonly ValidationIssue[] };

/** A changed result: `next` with its version set to exactly one more than `previous`. */
export function changed(previous: Candidate, next: Candidate, effects: readonly ReleaseEffect[]): Transition {
  return { kind: "changed", state: { ...next, version: previous.version + 1 }, effects };
}

/** An unchanged result. */
export function unchanged(state: Candidate, reason: UnchangedReason): Transition {
  return { kind: "unchanged", reason, state };
}

/** A rejected result. */
export function rejected(issues: readonly ValidationIssue[]): Transition {
  return { kind: "rejected", issues };
}
