import type { CandidateKey } from "../../core/index.ts";
import { nextAction, timeOut } from "../../release/index.ts";
import { applyEffects, progressOf } from "../effects/applyEffects.ts";
import { TransitionRejectedError } from "../errors.ts";
import type { HandlerContext } from "../HandlerContext.ts";
import type { CandidateProgress } from "../HandlerResult.ts";
import { correlation } from "./correlation.ts";
import { decideCandidate } from "./decideCandidate.ts";
import { type Update, updateCandidate } from "./updateCandidate.ts";

/** Options of {@link advanceCandidate}. */
export interface AdvanceOptions {
  /**
   * Also finish the side effects of a candidate decided earlier (the reconciler). Off for the event handlers:
   * an invocation that did not make the decision leaves its effects to the one that did.
   */
  readonly recover: boolean;
}

/**
 * Brings a candidate as far as its state allows, as `nextAction` says: decide it when every scan is in,
 * fail it closed past its deadline, and apply the effects of a decision this invocation made (or, with
 * `recover`, of any decision still owing some). Undefined when the candidate does not exist.
 * @example const progress = await advanceCandidate(ctx, key, { recover: false });
 */
export async function advanceCandidate(
  ctx: HandlerContext,
  key: CandidateKey,
  options: AdvanceOptions,
): Promise<CandidateProgress | undefined> {
  const state = await ctx.store.getCandidate(key);
  if (state === undefined) return undefined;
  const now = ctx.clock.now();
  const action = nextAction(state, now);
  switch (action.kind) {
    case "wait":
      return progressOf(state);
    case "evaluate":
      return afterDecision(ctx, "decide", await decideCandidate(ctx, state));
    case "timed-out": {
      const update = await updateCandidate(ctx, key, (current) => timeOut(current, now));
      if (update.kind === "unchanged" && update.reason === "ready-to-evaluate")
        return afterDecision(ctx, "decide", await decideCandidate(ctx, update.state));
      if (update.kind === "changed") {
        ctx.metrics.count("Decisions", 1, { outcome: "timed-out" });
        ctx.log.warn(`${ctx.handler}: timed out waiting for scans (fail closed)`, correlation(update.state));
      }
      return afterDecision(ctx, "timeOut", update);
    }
    default:
      return options.recover ? applyEffects(ctx, state) : progressOf(state);
  }
}

/** The decision's writer applies its effects; a loser reports the winner's state and does nothing more. */
async function afterDecision(
  ctx: HandlerContext,
  transition: string,
  update: Update,
): Promise<CandidateProgress | undefined> {
  switch (update.kind) {
    case "changed":
      return applyEffects(ctx, update.state);
    case "unchanged":
      return progressOf(update.state);
    case "rejected":
      throw new TransitionRejectedError(update.state.key, transition, update.issues);
    case "missing":
      return undefined;
  }
}
