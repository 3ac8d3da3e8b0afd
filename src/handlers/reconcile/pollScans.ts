import { type CandidateKey, isTerminalScanStatus } from "../../core/index.ts";
import type { ScanFindings } from "../../findings/index.ts";
import { parseScan, type ScanInput, waitingChildren } from "../../release/index.ts";
import { keepImageScan } from "../../store/index.ts";
import { applyScan } from "../candidate/applyScan.ts";
import { correlation } from "../candidate/correlation.ts";
import type { HandlerContext } from "../HandlerContext.ts";

/**
 * Recovers lost scan events for a candidate still waiting: asks the FindingsSource for each waiting child's
 * scan and records every terminal result exactly as if its event had arrived (kept for the image, recorded on
 * the candidate). A child whose findings cannot be read is logged and left for the next run (or the timeout).
 * Returns how many scans were recovered.
 * @example const recovered = await pollScans(ctx, key);
 */
export async function pollScans(ctx: HandlerContext, key: CandidateKey): Promise<number> {
  const state = await ctx.store.getCandidate(key);
  if (state?.phase !== "scanning") return 0;
  let recovered = 0;
  for (const child of waitingChildren(state)) {
    const image = { ...key, digest: child.digest };
    let report: ScanFindings;
    try {
      report = await ctx.findings.scanReport({ ...image, platform: child.platform });
    } catch (error) {
      ctx.log.warn("reconcile: could not poll a waiting scan", {
        ...correlation(state),
        platformDigest: child.digest,
        error: String(error),
      });
      continue;
    }
    if (!isTerminalScanStatus(report.status)) continue;
    const scan = polledScan(ctx, child.digest, report);
    const parsed = parseScan(scan);
    if (!parsed.ok) {
      ctx.log.warn("reconcile: polled scan refused", { ...correlation(state), issues: parsed.error });
      continue;
    }
    await keepImageScan(ctx.store, image, parsed.value.record);
    if ((await applyScan(ctx, key, scan)).kind === "changed") recovered++;
  }
  if (recovered > 0) ctx.metrics.count("ScansRecovered", recovered);
  return recovered;
}

/**
 * A polled result as a scan input: its completion time, and an id stable across polls of the same result of
 * the same image (the candidate recognises redeliveries by id, so two platforms must never share one).
 */
function polledScan(ctx: HandlerContext, digest: ScanInput["digest"], report: ScanFindings): ScanInput {
  const at = report.completedAt ?? ctx.clock.now().toISOString();
  return {
    digest,
    status: report.status,
    counts: fullCounts(report),
    scanner: report.findings[0]?.source ?? ctx.settings.scanner,
    at,
    eventId: `poll:${report.status}:${report.completedAt ?? "no-completion-time"}:${digest}`,
  };
}

/** AWS's own counts when the response had them (the scan event carries the same), else the listed ones. */
function fullCounts(report: ScanFindings): ScanFindings["counts"] {
  return report.reportedCounts ?? report.counts;
}
