import type { CandidateKey } from "../../core/index.ts";
import type { FindingChanged } from "../../events/index.ts";
import { newFindingAction } from "../../policy/newFindingAction.ts";
import { policyForRepository } from "../../policy/policyForRepository.ts";
// From its file, not the barrel: the barrel reaches parsePolicy and would put the YAML parser in init.
import { summarizeVerdict } from "../../policy/summarizeVerdict.ts";
import type { Verdict } from "../../policy/Verdict.ts";
import { type FindingRef, type PromotedCandidate, watchPromoted } from "../../release/index.ts";
import { correlation } from "../candidate/correlation.ts";
import { evaluateCandidate } from "../candidate/evaluateCandidate.ts";
import { updateCandidate } from "../candidate/updateCandidate.ts";
import { candidateEvent } from "../effects/candidateEvent.ts";
import { type FindingChange, findingNotification } from "../effects/notifications.ts";
import { runOnce } from "../effects/runOnce.ts";
import type { HandlerContext } from "../HandlerContext.ts";
import type { Reevaluation } from "../HandlerResult.ts";
import { demoteOnce } from "./demoteOnce.ts";
import { findingChangeKey } from "./findingChangeKey.ts";
import { expiredPlatforms, markUnmonitored } from "./markUnmonitored.ts";

const DAY_MS = 86_400_000;

/**
 * Re-evaluates one candidate after a finding changed on one of its platform images. Only a promoted candidate
 * is re-evaluated (an undecided one is gated as usual, a rejected one stays rejected), and each finding change
 * once: the key is the finding ARN plus the fields that change a decision (findingChangeKey), so a re-fired
 * event changes nothing and notifies nobody again. A platform whose scan is SCAN_ELIGIBILITY_EXPIRED makes the
 * image "no longer monitored" (reported once; its closed findings are not fixes and clear nothing). When the
 * image now fails, `onNewFinding` decides: "notify" publishes "Finding On Promoted Image" and a notification;
 * "demote" first moves its tags back (once per candidate); `{ action: demote, afterDays }` notifies with the
 * deadline and leaves the demotion to the reconciler's sweep at that deadline (graceDemotion).
 * @example await reevaluatePromoted(ctx, key, findingEvent) // { key, outcome: "demoted", tags: [...] }
 */
export async function reevaluatePromoted(
  ctx: HandlerContext,
  key: CandidateKey,
  finding: FindingChanged,
): Promise<Reevaluation> {
  const state = await ctx.store.getCandidate(key);
  if (state?.phase !== "promoted") return { key, outcome: "not-promoted" };
  const changeKey = findingChangeKey(finding);
  const fields = { ...correlation(state), findingId: finding.id, changeKey };
  if (state.watch?.seen.includes(changeKey)) {
    ctx.log.info("reconcile: finding change already acted on (re-fired or redelivered)", fields);
    return { key, outcome: "duplicate" };
  }
  const verdict = await evaluateCandidate(ctx, state, ctx.clock.now());
  const expired = expiredPlatforms(verdict);
  const outcome =
    expired.length > 0
      ? await markUnmonitored(ctx, state, expired)
      : finding.status !== "ACTIVE"
        ? ({ key, outcome: "still-passes" } as const)
        : await actOnFinding(ctx, state, finding, verdict, changeKey);
  await updateCandidate(ctx, key, (current) =>
    watchPromoted(current, { kind: "finding", key: changeKey, now: ctx.clock.now() }),
  );
  if (outcome.outcome === "still-passes")
    ctx.log.info("reconcile: promoted image still passes after a finding change", fields);
  return outcome;
}

async function actOnFinding(
  ctx: HandlerContext,
  state: PromotedCandidate,
  finding: FindingChanged,
  verdict: Verdict,
  changeKey: string,
): Promise<Reevaluation> {
  const { key } = state;
  if (verdict.outcome === "pass") return { key, outcome: "still-passes" };
  const { action, afterDays } = newFindingAction(
    policyForRepository(ctx.settings.policy, key.repository).onNewFinding,
  );
  const summary = summarizeVerdict(verdict, { maxFindings: ctx.settings.maxFindings });
  const reasons = summary.reasons.items.map((reason) => reason.text);
  if (action === "notify") {
    await announce(ctx, state, finding, { action, reasons, changeKey });
    return { key, outcome: "notified" };
  }
  if (afterDays > 0 && state.watch?.demotedAt === undefined) {
    const grace = await startGrace(ctx, state, finding, afterDays);
    await announce(ctx, state, finding, { action, reasons, changeKey, grace });
    return { key, outcome: "grace", demoteAt: grace.demoteAt };
  }
  const demotion = await demoteOnce(ctx, state);
  await announce(ctx, state, finding, { action, reasons, changeKey, ...(demotion && { demotion }) });
  return { key, outcome: "demoted", ...(demotion && { tags: demotion }) };
}

/** Starts the countdown (once: a countdown already running keeps its deadline) and says how long is left. */
async function startGrace(
  ctx: HandlerContext,
  state: PromotedCandidate,
  finding: FindingChanged,
  afterDays: number,
): Promise<{ demoteAt: string; daysLeft: number }> {
  const now = ctx.clock.now();
  const update = await updateCandidate(ctx, state.key, (current) =>
    watchPromoted(current, {
      kind: "finding",
      key: `grace:${findingChangeKey(finding)}`,
      now,
      demoteAt: new Date(now.getTime() + afterDays * DAY_MS),
      finding: findingRef(finding),
    }),
  );
  const current = update.kind === "missing" || update.kind === "rejected" ? state : update.state;
  const at = current.phase === "promoted" ? current.watch?.demotion?.at : undefined;
  const demoteAt = at ?? new Date(now.getTime() + afterDays * DAY_MS).toISOString();
  return { demoteAt, daysLeft: Math.max(0, Math.ceil((Date.parse(demoteAt) - now.getTime()) / DAY_MS)) };
}

function findingRef(finding: FindingChanged): FindingRef {
  const { id, severity, title, digest, findingArn, sourceUrl } = finding;
  return { id, severity, title, digest, findingArn, ...(sourceUrl !== undefined && { sourceUrl }) };
}

/** Publishes "Finding On Promoted Image" and the notification, each once per finding change and stage. */
export async function announce(
  ctx: HandlerContext,
  state: PromotedCandidate,
  finding: FindingRef,
  change: FindingChange,
): Promise<void> {
  const stage = change.grace ? "grace" : change.demotion ? "demoted" : change.action;
  const id = `${change.changeKey}:${stage}`;
  const event = candidateEvent(ctx, "Finding On Promoted Image", state, {
    findingId: finding.id,
    severity: finding.severity,
    platform: finding.digest,
    action: change.action,
    ...(change.grace && { demoteAt: change.grace.demoteAt }),
  });
  const notification = findingNotification(state, finding, change);
  await runOnce(ctx, state.key, `finding-event:${id}`, () => ctx.events.publish([event]));
  await runOnce(ctx, state.key, `finding-notify:${id}`, () => ctx.notifications.publish(notification));
  ctx.metrics.count("FindingsOnPromoted", 1, { action: change.action });
}
