import type { Digest } from "../../core/index.ts";
import type { Verdict } from "../../policy/Verdict.ts";
import { type PromotedCandidate, watchPromoted } from "../../release/index.ts";
import { correlation } from "../candidate/correlation.ts";
import { updateCandidate } from "../candidate/updateCandidate.ts";
import { candidateEvent } from "../effects/candidateEvent.ts";
import { unmonitoredNotification } from "../effects/notifications.ts";
import { runOnce } from "../effects/runOnce.ts";
import type { HandlerContext } from "../HandlerContext.ts";
import type { Reevaluation } from "../HandlerResult.ts";

/** The platform images whose scan Inspector no longer renews (SCAN_ELIGIBILITY_EXPIRED). */
export function expiredPlatforms(verdict: Verdict): Digest[] {
  return verdict.platforms.filter((p) => p.status === "SCAN_ELIGIBILITY_EXPIRED").map((p) => p.digest);
}

/**
 * Records that a promoted image is no longer monitored (Inspector's rescan window ended: its findings closed,
 * which is not a fix), publishes "Image Unmonitored" (the check run shows it) and notifies, each once per
 * candidate. A demotion, a countdown or a warning already recorded stays as it is.
 * @example await markUnmonitored(ctx, state, ["sha256:…"]) // { key, outcome: "unmonitored" }
 */
export async function markUnmonitored(
  ctx: HandlerContext,
  state: PromotedCandidate,
  platforms: readonly Digest[],
): Promise<Reevaluation> {
  const update = await updateCandidate(ctx, state.key, (current) =>
    watchPromoted(current, { kind: "unmonitored", now: ctx.clock.now() }),
  );
  const current = update.kind === "changed" || update.kind === "unchanged" ? update.state : state;
  const watched = current.phase === "promoted" ? current : state;
  const since = watched.watch?.unmonitoredSince ?? ctx.clock.now().toISOString();
  const event = candidateEvent(ctx, "Image Unmonitored", watched, { platforms: [...platforms], since });
  await runOnce(ctx, state.key, "unmonitored-event", () => ctx.events.publish([event]));
  await runOnce(ctx, state.key, "unmonitored-notify", () =>
    ctx.notifications.publish(unmonitoredNotification(watched, platforms, since)),
  );
  ctx.log.warn("reconcile: promoted image no longer monitored (SCAN_ELIGIBILITY_EXPIRED)", {
    ...correlation(state),
    platforms,
  });
  ctx.metrics.count("ImagesUnmonitored", 1);
  return { key: state.key, outcome: "unmonitored" };
}
