import {
  type Candidate,
  type DecidedCandidate,
  markPromoted,
  type PromotedCandidate,
  replicationRetry,
} from "../../release/index.ts";
import { correlation } from "../candidate/correlation.ts";
import { updateCandidate } from "../candidate/updateCandidate.ts";
import { TransitionRejectedError } from "../errors.ts";
import type { HandlerContext } from "../HandlerContext.ts";
import type { CandidateProgress } from "../HandlerResult.ts";
import { attestationNote, attestDecision } from "./attestDecision.ts";
import { candidateEvent } from "./candidateEvent.ts";
import { decisionReasons } from "./describeDecision.ts";
import { promotionNotification, rejectionNotification } from "./notifications.ts";
import { promoteCandidate } from "./promoteCandidate.ts";
import { confirmed, runOnce } from "./runOnce.ts";

/**
 * Performs what a decided or promoted candidate still owes the world, each side effect at most once (claimed
 * in the store): the "Release Decided" event; for a rejection its notification; the signed verification
 * summary (attestDecision); for a pass the promotion (tags moved, then `markPromoted` with the replica
 * regions), then the summary, the "Image Promoted" event and its notification. When every effect is confirmed the candidate is settled (off the reconciler's index); an
 * effect another invocation holds is left to it, and the reconciler finishes whatever a crash interrupted. A
 * promoted candidate with a region that failed and has attempts left is not settled either: the reconciler
 * asks for its replication again (retryReplication).
 * @example const progress = await applyEffects(ctx, update.state);
 */
export async function applyEffects(ctx: HandlerContext, state: Candidate): Promise<CandidateProgress> {
  if (state.phase === "scanning") return progressOf(state);
  if (
    state.phase === "decided" &&
    (state.decision.outcome !== "passed" || state.tags.promotion.length === 0)
  ) {
    // Signed first, so the rejection's event and notification can say what was attested.
    if (!(await attestOnce(ctx, state, []))) return progressOf(state, false);
    return settle(ctx, state, await reportDecision(ctx, state));
  }
  const reported = await reportDecision(ctx, state);
  const promoted = state.phase === "promoted" ? state : await promoteOnce(ctx, state);
  if (promoted === undefined) return progressOf(state, false);
  if (!(await attestOnce(ctx, promoted, promoted.promotion.tags))) return progressOf(promoted, false);
  const announced = await announcePromotion(ctx, promoted);
  const progress = await settle(ctx, promoted, reported && announced.confirmed);
  return announced.publishedNow ? { ...progress, announcedNow: true } : progress;
}

/** The "Release Decided" event, and the notification of a rejection; true when both are confirmed. */
async function reportDecision(
  ctx: HandlerContext,
  state: DecidedCandidate | PromotedCandidate,
): Promise<boolean> {
  const event = candidateEvent(ctx, "Release Decided", state, {
    outcome: state.decision.outcome,
    reasons: decisionReasons(state, ctx.settings),
  });
  const runs = [await runOnce(ctx, state.key, "event:decided", () => ctx.events.publish([event]))];
  if (state.phase === "decided" && state.decision.outcome !== "passed") {
    const notification = rejectionNotification(state, ctx.settings, attestationNote(ctx, state));
    runs.push(
      await runOnce(ctx, state.key, "notify:rejected", () => ctx.notifications.publish(notification)),
    );
  }
  return runs.every(confirmed);
}

/**
 * The signed verification summary, pushed next to the index once (before "Image Promoted", so replication
 * copies it with the image); true when confirmed. A function without the signing key leaves it, and what
 * follows it, to one that has it (the reconciler) when attestation is required; without `attestation.required`
 * an unsigned deployment just does not attest.
 */
async function attestOnce(
  ctx: HandlerContext,
  state: DecidedCandidate | PromotedCandidate,
  promotedTags: readonly string[],
): Promise<boolean> {
  const { signer } = ctx;
  if (signer === undefined) return ctx.settings.attestation?.required !== true;
  const attest = () => attestDecision({ ...ctx, signer }, state, promotedTags);
  return confirmed(await runOnce(ctx, state.key, "attest", attest));
}

/**
 * The "Image Promoted" event (which starts replication) and the promotion's notification: whether both are
 * confirmed, and whether this invocation published the event (the replication it starts has just begun).
 */
async function announcePromotion(
  ctx: HandlerContext,
  state: PromotedCandidate,
): Promise<{ readonly confirmed: boolean; readonly publishedNow: boolean }> {
  const event = candidateEvent(ctx, "Image Promoted", state, { tags: [...state.promotion.tags] });
  const notification = promotionNotification(state, ctx.settings, attestationNote(ctx, state));
  const published = await runOnce(ctx, state.key, "event:promoted", () => ctx.events.publish([event]));
  const notified = await runOnce(ctx, state.key, "notify:promoted", () =>
    ctx.notifications.publish(notification),
  );
  return {
    confirmed: confirmed(published) && confirmed(notified),
    publishedNow: published.kind === "performed",
  };
}

/** Moves the tags (claimed) and records the promotion; undefined while another invocation holds the claim. */
async function promoteOnce(
  ctx: HandlerContext,
  state: DecidedCandidate,
): Promise<PromotedCandidate | undefined> {
  const moved = await runOnce(ctx, state.key, "promote", () => promoteCandidate(ctx, state));
  if (moved.kind === "busy") return undefined;
  const tags = movedTags(moved.result) ?? state.tags.promotion;
  const update = await updateCandidate(ctx, state.key, (current) =>
    markPromoted(current, { tags, now: ctx.clock.now(), replicateTo: ctx.settings.replicaRegions }),
  );
  if (update.kind === "missing" || update.kind === "rejected")
    throw new TransitionRejectedError(
      state.key,
      "markPromoted",
      update.kind === "rejected" ? update.issues : [],
    );
  if (update.state.phase !== "promoted")
    throw new TransitionRejectedError(state.key, "markPromoted", [
      { field: "phase", value: update.state.phase, message: "must be promoted after markPromoted" },
    ]);
  if (update.kind === "changed") {
    const latency = Date.parse(update.state.promotion.at) - Date.parse(update.state.registeredAt);
    ctx.metrics.count("Promotions", 1);
    ctx.metrics.duration("PromotionLatency", latency);
    ctx.log.info(`${ctx.handler}: promoted`, { ...correlation(update.state), tags, latencyMs: latency });
  }
  return update.state;
}

/** The tags a promotion applied, from its (possibly stored) result; undefined for a shape it does not know. */
function movedTags(result: unknown): string[] | undefined {
  if (!Array.isArray(result)) return undefined;
  const tags = result.map((move: unknown) =>
    typeof move === "object" && move !== null && "tag" in move ? move.tag : undefined,
  );
  return tags.every((tag): tag is string => typeof tag === "string") ? tags : undefined;
}

async function settle(
  ctx: HandlerContext,
  state: Candidate,
  allConfirmed: boolean,
): Promise<CandidateProgress> {
  if (!allConfirmed || replicationOwed(ctx, state)) return progressOf(state, false);
  const settled = (await ctx.store.settleCandidate(state.key, state.version)) === "settled";
  return progressOf(state, settled);
}

/** A region failed with attempts left: the candidate stays on the reconciler's index, which asks again. */
function replicationOwed(ctx: HandlerContext, state: Candidate): boolean {
  const retry = replicationRetry(state, ctx.clock.now(), {
    maxReplicationAttempts: ctx.settings.maxReplicationAttempts,
    retryAfterMinutes: ctx.settings.replicationRetryMinutes,
  });
  return retry.kind !== "none";
}

/** A candidate's progress as a handler reports it. */
export function progressOf(state: Candidate, settled?: boolean): CandidateProgress {
  return {
    key: state.key,
    phase: state.phase,
    ...(state.phase === "scanning" ? {} : { outcome: state.decision.outcome }),
    ...(state.phase === "promoted" ? { promotedTags: state.promotion.tags } : {}),
    ...(settled === undefined ? {} : { settled }),
  };
}
