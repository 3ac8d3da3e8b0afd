import type { CandidateKey, ValidationIssue } from "../../core/index.ts";
import type { Candidate, ReleaseEffect, Transition, UnchangedReason } from "../../release/index.ts";
import { StoreConflictError } from "../../store/index.ts";
import type { HandlerContext } from "../HandlerContext.ts";

/** How an update of a stored candidate ended. */
export type Update =
  | { readonly kind: "changed"; readonly state: Candidate; readonly effects: readonly ReleaseEffect[] }
  | { readonly kind: "unchanged"; readonly state: Candidate; readonly reason: UnchangedReason }
  | { readonly kind: "rejected"; readonly state: Candidate; readonly issues: readonly ValidationIssue[] }
  | { readonly kind: "missing" };

/**
 * Applies a pure transition to the stored candidate with a version-conditional write; when another
 * invocation wrote first, reloads and applies it again to the new state (bounded). Whoever's write lands
 * made the transition; a loser sees the state the winner wrote (e.g. `unchanged` "already-decided").
 * @example const update = await updateCandidate(ctx, key, (state) => recordScan(state, scan));
 */
export async function updateCandidate(
  ctx: Pick<HandlerContext, "store" | "settings">,
  key: CandidateKey,
  transition: (state: Candidate) => Transition,
): Promise<Update> {
  const attempts = ctx.settings.maxSaveAttempts;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const state = await ctx.store.getCandidate(key);
    if (state === undefined) return { kind: "missing" };
    const next = transition(state);
    if (next.kind === "unchanged") return { kind: "unchanged", state, reason: next.reason };
    if (next.kind === "rejected") return { kind: "rejected", state, issues: next.issues };
    if ((await ctx.store.saveCandidate(next.state)) === "saved")
      return { kind: "changed", state: next.state, effects: next.effects };
  }
  throw new StoreConflictError("update candidate", key, attempts);
}
