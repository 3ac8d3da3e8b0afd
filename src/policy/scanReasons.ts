import { type Digest, PASSABLE_SCAN_STATUSES, PENDING_SCAN_STATUSES } from "../core/index.ts";
import type { ScanReport } from "../findings/index.ts";
import type { FailureReason } from "./Verdict.ts";

/**
 * Why a platform's scan result cannot be trusted for a pass: it is missing, belongs to another
 * image or repository, has a status other than COMPLETE/ACTIVE, or lists fewer findings than AWS
 * counted (missing pages). Empty when the scan is usable.
 * @example scanReasons("linux/arm64", digest, undefined, "payments/api") // [{ kind: "scan-missing", … }]
 */
export function scanReasons(
  platform: string,
  digest: Digest,
  scan: ScanReport | undefined,
  repository: string,
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
  for (const { severity, reported, listed } of scan.unlisted) {
    reasons.push({ kind: "findings-incomplete", platform, digest, severity, reported, listed });
  }
  return reasons;
}
