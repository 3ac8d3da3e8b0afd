import type { CandidateKey } from "../../core/index.ts";
import type { Phase } from "../../release/index.ts";
import { advanceCandidate } from "../candidate/advanceCandidate.ts";
import type { HandlerContext } from "../HandlerContext.ts";
import type { CandidateProgress, ReconcileFailure, ReconcileResult } from "../HandlerResult.ts";
import { graceDemotion } from "./graceDemotion.ts";
import { pollScans } from "./pollScans.ts";
import { retryReplication } from "./retryReplication.ts";

/** The phases the reconciler's index lists, in the order a sweep handles them. */
const SWEPT: readonly Phase[] = ["scanning", "decided", "promoted"];

/**
 * One scheduled pass over every candidate due on the reconciler's index: scanning ones are polled for lost
 * scan events, then decided (or failed closed past their deadline); decided and promoted ones get the side
 * effects a crash left undone (a promotion after the decision, an event, a notification), and promoted ones
 * whose replication failed with attempts left are asked to replicate again (retryReplication); a promoted one
 * whose grace period has ended is demoted unless it passes now (graceDemotion). One candidate's
 * failure is logged, counted and reported without stopping the others; it is retried on the next pass.
 * @example const result = await sweep(ctx); // { kind: "swept", candidates, failures }
 */
export async function sweep(ctx: HandlerContext): Promise<ReconcileResult> {
  const candidates: CandidateProgress[] = [];
  const failures: ReconcileFailure[] = [];
  // A candidate a phase brought forward (decided → promoted) is due again in the next: once per pass is enough.
  const handled = new Set<string>();
  for (const phase of SWEPT) {
    const due = await ctx.store.candidatesDue(phase, ctx.clock.now().toISOString());
    for (const key of due) {
      const id = `${key.region}/${key.repository}@${key.digest}`;
      if (handled.has(id)) continue;
      handled.add(id);
      try {
        const progress = await reconcileOne(ctx, phase, key);
        if (progress) candidates.push(progress);
      } catch (error) {
        failures.push({ key, error: error instanceof Error ? error.message : String(error) });
        ctx.log.error("reconcile: candidate not brought forward; retried next time", {
          ...key,
          phase,
          error: String(error),
        });
        ctx.metrics.count("ReconcileFailures", 1, { phase });
      }
    }
  }
  ctx.log.info("reconcile: sweep done", { candidates: candidates.length, failures: failures.length });
  return { kind: "swept", candidates, failures };
}

async function reconcileOne(
  ctx: HandlerContext,
  phase: Phase,
  key: CandidateKey,
): Promise<CandidateProgress | undefined> {
  if (phase === "scanning") await pollScans(ctx, key);
  // Before the effects are finished (which settles the candidate): a grace period ending is the reason it is due.
  if (phase === "promoted") await graceDemotion(ctx, key);
  const progress = await advanceCandidate(ctx, key, { recover: true });
  if (progress?.phase !== "promoted") return progress;
  // An "Image Promoted" published in this very pass (a deferred announcement) is the replication's first ask.
  if (progress.announcedNow) return progress;
  const regions = await retryReplication(ctx, key);
  return regions.length > 0 ? { ...progress, replicationRetried: regions } : progress;
}
