import type { CandidateKey } from "../../core/index.ts";
import { recordScan, type ScanInput } from "../../release/index.ts";
import { candidateEvent } from "../effects/candidateEvent.ts";
import type { HandlerContext } from "../HandlerContext.ts";
import { correlation } from "./correlation.ts";
import { type Update, updateCandidate } from "./updateCandidate.ts";

/**
 * Records a platform image's scan on one candidate (version-conditional, re-applied on conflict) and, when
 * it changed the candidate, publishes "Scan Recorded" (best effort: it only reports progress). A scan the
 * candidate does not take (a redelivery, a stale result, an already decided candidate) changes nothing.
 * @example await applyScan(ctx, key, { digest, status: "COMPLETE", counts, scanner: "basic", at, eventId })
 */
export async function applyScan(ctx: HandlerContext, key: CandidateKey, scan: ScanInput): Promise<Update> {
  const update = await updateCandidate(ctx, key, (state) => recordScan(state, scan));
  if (update.kind === "rejected")
    ctx.log.warn(`${ctx.handler}: scan not recorded`, {
      ...correlation(update.state),
      issues: update.issues,
    });
  if (update.kind !== "changed") return update;
  const record = update.state.scans[scan.digest];
  ctx.log.info(`${ctx.handler}: scan recorded`, {
    ...correlation(update.state),
    platformDigest: scan.digest,
    status: scan.status,
  });
  if (record === undefined) return update;
  const event = candidateEvent(ctx, "Scan Recorded", update.state, {
    platform: scan.digest,
    scanner: record.scanner,
    status: record.status,
    counts: record.counts,
  });
  await ctx.events.publish([event]).catch((error: unknown) => {
    ctx.log.warn(`${ctx.handler}: could not publish Scan Recorded`, { ...key, error: String(error) });
  });
  return update;
}
