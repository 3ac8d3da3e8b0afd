import type { CandidateKey } from "../../core/index.ts";
import { summarizeVerdict } from "../../policy/summarizeVerdict.ts";
import { watchPromoted } from "../../release/index.ts";
import { correlation } from "../candidate/correlation.ts";
import { evaluateCandidate } from "../candidate/evaluateCandidate.ts";
import { updateCandidate } from "../candidate/updateCandidate.ts";
import type { HandlerContext } from "../HandlerContext.ts";
import type { Reevaluation } from "../HandlerResult.ts";
import { demoteOnce } from "./demoteOnce.ts";
import { expiredPlatforms, markUnmonitored } from "./markUnmonitored.ts";
import { announce } from "./reevaluatePromoted.ts";

/**
 * Ends a grace period that is due: the candidate is evaluated again, and unless it passes now (the finding
 * fixed or allowlisted) its tags are demoted (demoteOnce) and the demotion announced. A platform whose scan is
 * SCAN_ELIGIBILITY_EXPIRED is not a fix: the image is reported unmonitored and demoted all the same.
 * Undefined when no grace period is due.
 * @example await graceDemotion(ctx, key) // { key, outcome: "demoted", tags: [...] }
 */
export async function graceDemotion(
  ctx: HandlerContext,
  key: CandidateKey,
): Promise<Reevaluation | undefined> {
  const state = await ctx.store.getCandidate(key);
  if (state?.phase !== "promoted") return undefined;
  const due = state.watch?.demotion;
  const now = ctx.clock.now();
  if (due === undefined || Date.parse(due.at) > now.getTime()) return undefined;
  const verdict = await evaluateCandidate(ctx, state, now);
  const expired = expiredPlatforms(verdict);
  if (expired.length > 0) await markUnmonitored(ctx, state, expired);
  else if (verdict.outcome === "pass") {
    await updateCandidate(ctx, key, (current) => watchPromoted(current, { kind: "lifted", now }));
    ctx.log.info("reconcile: grace period over and the image passes now: not demoted", {
      ...correlation(state),
      findingId: due.finding.id,
    });
    return { key, outcome: "grace-lifted" };
  }
  const demotion = await demoteOnce(ctx, state);
  const summary = summarizeVerdict(verdict, { maxFindings: ctx.settings.maxFindings });
  const reasons = summary.reasons.items.map((reason) => reason.text);
  await announce(ctx, state, due.finding, {
    action: "demote",
    reasons,
    changeKey: `grace-end:${due.at}`,
    ...(demotion && { demotion }),
  });
  return { key, outcome: "demoted", ...(demotion && { tags: demotion }) };
}
