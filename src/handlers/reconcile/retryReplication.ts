import type { CandidateKey } from "../../core/index.ts";
import { replicationRetry } from "../../release/index.ts";
import { correlation } from "../candidate/correlation.ts";
import { candidateEvent } from "../effects/candidateEvent.ts";
import { runOnce } from "../effects/runOnce.ts";
import type { HandlerContext } from "../HandlerContext.ts";

/**
 * Asks again for the replication of a promoted candidate whose region failed with attempts left, once its
 * last attempt is `replicationRetryMinutes` old (by then Lambda's own async retries are spent): re-publishes
 * "Image Promoted", which the replicate handler answers by copying to the regions still missing. Claimed per
 * retry window and attempt state (runOnce), so overlapping sweeps ask once per window, and a request lost on
 * the way is asked again in the next. Returns the regions asked for, or an empty list.
 * @example await retryReplication(ctx, key) // => ["eu-west-1"]
 */
export async function retryReplication(ctx: HandlerContext, key: CandidateKey): Promise<readonly string[]> {
  const state = await ctx.store.getCandidate(key);
  if (state?.phase !== "promoted") return [];
  const retry = replicationRetry(state, ctx.clock.now(), {
    maxReplicationAttempts: ctx.settings.maxReplicationAttempts,
    retryAfterMinutes: ctx.settings.replicationRetryMinutes,
  });
  if (retry.kind !== "retry") return [];
  const event = candidateEvent(ctx, "Image Promoted", state, { tags: [...state.promotion.tags] });
  const run = await runOnce(ctx, key, retry.effect, () => ctx.events.publish([event]));
  if (run.kind !== "performed") return [];
  ctx.metrics.count("ReplicationRetries", 1);
  ctx.log.info("reconcile: asked for replication again", { ...correlation(state), regions: retry.regions });
  return retry.regions;
}
