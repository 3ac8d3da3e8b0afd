import type { ValidationIssue } from "../../core/index.ts";
import type { Outcome, VerdictSummary } from "../../policy/index.ts";
// From its file, not the barrel: the barrel reaches parsePolicy and would put the YAML parser in init.
import { summarizeVerdict } from "../../policy/summarizeVerdict.ts";
import { type Candidate, decide, readyToDecide, type Transition } from "../../release/index.ts";
import type { HandlerContext } from "../HandlerContext.ts";
import { correlation } from "./correlation.ts";
import { evaluateWhenListed, pastDeadline } from "./evaluateWhenListed.ts";
import { provenanceReasons } from "./provenanceReasons.ts";
import { type Update, updateCandidate } from "./updateCandidate.ts";

/**
 * Evaluates a ready candidate and records the decision exactly once: the version-conditional write decides
 * which invocation's decision stands; any other gets `unchanged` "already-decided" and must do nothing more.
 * The stored reasons are the compact verdict summary (bounded, so the item stays small). Findings that lag
 * the scan's counts are read again with backoff; still lagging before the scan deadline, nothing is decided
 * (`unchanged` "findings-lagging": the reconciler reads again); past it, the candidate fails closed saying so.
 * A policy that requires build provenance fails a candidate whose index lacks it or names another source
 * (provenanceReasons).
 * @example const update = await decideCandidate(ctx, state); if (update.kind === "changed") …apply effects
 */
export async function decideCandidate(ctx: HandlerContext, state: Candidate): Promise<Update> {
  const { verdict: listed, lagging, reads } = await evaluateWhenListed(ctx, state);
  const now = ctx.clock.now();
  if (lagging && !pastDeadline(state, now)) {
    ctx.metrics.count("FindingsLagging", 1);
    ctx.log.warn(`${ctx.handler}: listed findings are fewer than the scan counted; not decided yet`, {
      ...correlation(state),
      reads,
      deadline: state.deadline,
    });
    return { kind: "unchanged", state, reason: "findings-lagging" };
  }
  const provenance = await provenanceReasons(ctx, state);
  const verdict =
    provenance.length === 0
      ? listed
      : { ...listed, outcome: "fail" as const, reasons: [...listed.reasons, ...provenance] };
  const verdictSummary = summarizeVerdict(verdict, { maxFindings: ctx.settings.maxFindings });
  const summary = lagging ? lagAtDeadline(verdictSummary, state.deadline, reads) : verdictSummary;
  const excepted = verdict.platforms.filter((p) => p.exception !== undefined).map((p) => p.digest);
  const update = await updateCandidate(ctx, state.key, (current) =>
    decideFailClosed(current, verdict.outcome, summary, now, excepted),
  );
  if (update.kind === "changed" && update.state.phase === "decided") {
    const outcome = update.state.decision.outcome;
    ctx.metrics.count("Decisions", 1, { outcome });
    ctx.log.info(`${ctx.handler}: decided`, { ...correlation(update.state), outcome });
  }
  return update;
}

/**
 * The policy's outcome as a decision. A pass the state machine refuses (a stored scan is FAILED although the
 * findings fetched now look clean, e.g. after a rescan) is recorded as a failure: fail closed.
 */
function decideFailClosed(
  state: Candidate,
  outcome: Outcome,
  summary: VerdictSummary,
  now: Date,
  excepted: readonly string[],
): Transition {
  const wanted = outcome === "pass" ? "passed" : "failed";
  const transition = decide(state, { outcome: wanted, reasons: summary, now, excepted });
  if (transition.kind !== "rejected" || wanted !== "passed" || !readyToDecide(state)) return transition;
  return decide(state, { outcome: "failed", reasons: failedSummary(summary, transition.issues), now });
}

function failedSummary(summary: VerdictSummary, issues: readonly ValidationIssue[]): VerdictSummary {
  const extra = issues.map((issue) => ({
    kind: "scan-status-not-passable" as const,
    platform: null,
    text: `stored scan results ${issue.message}`,
  }));
  return {
    ...summary,
    outcome: "fail",
    reasons: { items: [...summary.reasons.items, ...extra], omitted: summary.reasons.omitted },
  };
}

/** The findings-incomplete reasons of a decision made at the deadline say that the wait is over. */
function lagAtDeadline(summary: VerdictSummary, deadline: string, reads: number): VerdictSummary {
  const items = summary.reasons.items.map((reason) =>
    reason.kind === "findings-incomplete"
      ? {
          ...reason,
          text: `${reason.text}: still short at the scan deadline ${deadline} after ${reads} reads (fail closed)`,
        }
      : reason,
  );
  return { ...summary, reasons: { ...summary.reasons, items } };
}
