import {
  type Digest,
  PASSABLE_SCAN_STATUSES,
  PENDING_SCAN_STATUSES,
  SEVERITIES,
  type SeverityCounts,
} from "../core/index.ts";
import type { ScanFindings } from "../findings/index.ts";
import type { FailureReason } from "./Verdict.ts";

/**
 * Why a platform's scan result cannot be trusted for a pass: it is missing, belongs to another
 * image or repository, has a status other than COMPLETE/ACTIVE, or lists fewer findings than AWS
 * counted — in the API's `findingSeverityCounts` or in the scan event (`countedAtScan`, a floor: findings
 * can arrive after a scan says COMPLETE). Empty when the scan is usable.
 * @example scanReasons("linux/arm64", digest, undefined, "payments/api") // [{ kind: "scan-missing", … }]
 */
export function scanReasons(
  platform: string,
  digest: Digest,
  scan: ScanFindings | undefined,
  repository: string,
  countedAtScan?: SeverityCounts,
): FailureReason[] {
  if (!scan) return [{ kind: "scan-missing", platform, digest }];
  const reasons: FailureReason[] = [];
  if (scan.digest !== undefined && scan.digest !== digest)
    reasons.push({
      kind: "scan-mismatch",
      platform,
      digest,
      field: "digest",
      expected: digest,
      actual: scan.digest,
    });
  if (scan.repository !== undefined && scan.repository !== repository) {
    const mismatch = { field: "repository", expected: repository, actual: scan.repository } as const;
    reasons.push({ kind: "scan-mismatch", platform, digest, ...mismatch });
  }
  if (!PASSABLE_SCAN_STATUSES.includes(scan.status)) {
    const pending = PENDING_SCAN_STATUSES.includes(scan.status);
    const description = scan.statusDescription === undefined ? {} : { description: scan.statusDescription };
    reasons.push({
      kind: "scan-status-not-passable",
      platform,
      digest,
      status: scan.status,
      pending,
      ...description,
    });
  }
  reasons.push(...unlistedReasons(platform, digest, scan, countedAtScan));
  return reasons;
}

/** One reason per severity whose listed findings are fewer than the API or the scan event counted. */
function unlistedReasons(
  platform: string,
  digest: Digest,
  scan: ScanFindings,
  countedAtScan: SeverityCounts | undefined,
): FailureReason[] {
  const listedCounts = scan.listed ?? scan.counts;
  return SEVERITIES.flatMap((severity) => {
    const api = scan.unlisted.find((u) => u.severity === severity);
    const listed = api?.listed ?? listedCounts[severity];
    const byApi = api?.reported ?? 0;
    const byEvent = countedAtScan?.[severity] ?? 0;
    const reported = Math.max(byApi, byEvent);
    if (reported <= listed) return [];
    const countedBy = byEvent > byApi ? { countedBy: "scan-event" as const } : {};
    return [
      { kind: "findings-incomplete" as const, platform, digest, severity, reported, listed, ...countedBy },
    ];
  });
}
