import { createHash } from "node:crypto";
import type { CandidateKey } from "../../core/index.ts";
import type { FindingChanged } from "../../events/index.ts";
import { policyForRepository } from "../../policy/policyForRepository.ts";
// From its file, not the barrel: the barrel reaches parsePolicy and would put the YAML parser in init.
import { summarizeVerdict } from "../../policy/summarizeVerdict.ts";
import type { PromotedCandidate } from "../../release/index.ts";
import { correlation } from "../candidate/correlation.ts";
import { evaluateCandidate } from "../candidate/evaluateCandidate.ts";
import { candidateEvent } from "../effects/candidateEvent.ts";
import { findingNotification } from "../effects/notifications.ts";
import { runOnce } from "../effects/runOnce.ts";
import type { HandlerContext } from "../HandlerContext.ts";
import type { DemotedTag, Reevaluation } from "../HandlerResult.ts";
import { demoteCandidate } from "./demoteCandidate.ts";

/**
 * Re-evaluates one candidate after a new finding on one of its platform images. Only a promoted candidate
 * is re-evaluated (an undecided one is gated as usual, a rejected one stays rejected). When it now fails, the
 * repository's `onNewFinding` decides: "notify" publishes "Finding On Promoted Image" and a notification;
 * "demote" first moves its tags back to the previous passing digests (once per candidate). Each finding is
 * announced once, whatever the redeliveries.
 * @example await reevaluatePromoted(ctx, key, findingEvent) // { key, outcome: "demoted", tags: [...] }
 */
export async function reevaluatePromoted(
  ctx: HandlerContext,
  key: CandidateKey,
  finding: FindingChanged,
): Promise<Reevaluation> {
  const state = await ctx.store.getCandidate(key);
  if (state?.phase !== "promoted") return { key, outcome: "not-promoted" };
  const verdict = await evaluateCandidate(ctx, state, ctx.clock.now());
  if (verdict.outcome === "pass") {
    ctx.log.info("reconcile: promoted image still passes after a new finding", {
      ...correlation(state),
      findingId: finding.id,
    });
    return { key, outcome: "still-passes" };
  }
  const action = policyForRepository(ctx.settings.policy, key.repository).onNewFinding;
  const summary = summarizeVerdict(verdict, { maxFindings: ctx.settings.maxFindings });
  const reasons = summary.reasons.items.map((reason) => reason.text);
  const demotion = action === "demote" ? await demoteOnce(ctx, state) : undefined;
  await announce(ctx, state, finding, { action, reasons, ...(demotion && { demotion }) });
  if (action === "notify") return { key, outcome: "notified" };
  return { key, outcome: "demoted", ...(demotion && { tags: demotion }) };
}

/** Demotes once per candidate; a later finding reuses the recorded result. */
async function demoteOnce(ctx: HandlerContext, state: PromotedCandidate): Promise<DemotedTag[] | undefined> {
  const run = await runOnce(ctx, state.key, "demote", () => demoteCandidate(ctx, state));
  return run.kind === "busy" ? undefined : (run.result as DemotedTag[]);
}

async function announce(
  ctx: HandlerContext,
  state: PromotedCandidate,
  finding: FindingChanged,
  change: Parameters<typeof findingNotification>[2],
): Promise<void> {
  const id = createHash("sha256").update(finding.findingArn).digest("hex").slice(0, 32);
  const event = candidateEvent(ctx, "Finding On Promoted Image", state, {
    findingId: finding.id,
    severity: finding.severity,
    platform: finding.digest,
    action: change.action,
  });
  const notification = findingNotification(state, finding, change);
  await runOnce(ctx, state.key, `finding-event:${id}`, () => ctx.events.publish([event]));
  await runOnce(ctx, state.key, `finding-notify:${id}`, () => ctx.notifications.publish(notification));
  ctx.metrics.count("FindingsOnPromoted", 1, { action: change.action });
}
