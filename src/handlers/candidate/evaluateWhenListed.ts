import type { Clock, WaitingClock } from "../../core/index.ts";
import type { Verdict } from "../../policy/Verdict.ts";
import type { Candidate } from "../../release/index.ts";
import type { HandlerContext } from "../HandlerContext.ts";
import { evaluateCandidate } from "./evaluateCandidate.ts";

/** A verdict and whether it was made on findings still lagging what AWS counted. */
export interface ListedVerdict {
  readonly verdict: Verdict;
  /** True when some platform still lists fewer findings, at some severity, than the scan event or API counted. */
  readonly lagging: boolean;
  /** How many times the findings were read. */
  readonly reads: number;
}

/**
 * Evaluates a candidate, re-reading its findings with backoff (`findingsRereadMs`) while a platform lists
 * fewer findings than its scan event or DescribeImageScanFindings counted, and only while the candidate's
 * scan deadline has not passed. Findings can be listed after a scan reports COMPLETE, so the counts are a
 * floor: the caller must not decide on a lagging verdict before the deadline, and fails closed after it.
 * The reconciler reads once per run (its schedule is the backoff), so one sweep never sleeps per candidate.
 * @example const { verdict, lagging } = await evaluateWhenListed(ctx, state);
 */
export async function evaluateWhenListed(ctx: HandlerContext, state: Candidate): Promise<ListedVerdict> {
  const sleep = sleeperOf(ctx.clock);
  let reads = 0;
  const delays = ctx.handler === "reconcile" ? [] : ctx.settings.findingsRereadMs;
  for (const delay of [...delays, undefined]) {
    const verdict = await evaluateCandidate(ctx, state, ctx.clock.now());
    reads++;
    const lagging = isLagging(verdict);
    if (!lagging || delay === undefined || pastDeadline(state, ctx.clock.now()))
      return { verdict, lagging, reads };
    ctx.log.info(`${ctx.handler}: findings lag the scan counts; reading again`, {
      ...state.key,
      reads,
      inMs: delay,
    });
    await sleep(delay);
  }
  throw new Error("unreachable: the last read always returns");
}

/** True when a verdict has a platform listing fewer findings than AWS counted. */
function isLagging(verdict: Verdict): boolean {
  return verdict.reasons.some((reason) => reason.kind === "findings-incomplete");
}

/** True once the candidate's scan deadline has passed. */
export function pastDeadline(state: Candidate, now: Date): boolean {
  return now.getTime() > Date.parse(state.deadline);
}

/** Waits on the clock when it can (the real clock sleeps, the local one moves simulated time), else not at all. */
function sleeperOf(clock: Clock): (ms: number) => Promise<void> {
  const waiting = clock as Partial<WaitingClock>;
  return typeof waiting.sleep === "function" ? (ms) => (clock as WaitingClock).sleep(ms) : async () => {};
}
