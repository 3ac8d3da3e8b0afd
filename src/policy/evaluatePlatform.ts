import { type Digest, emptySeverityCounts, type SeverityCounts } from "../core/index.ts";
import type { ScanFindings } from "../findings/index.ts";
import { checkThresholds } from "./checkThresholds.ts";
import { classifyFindings } from "./classifyFindings.ts";
import { matchException } from "./matchException.ts";
import type { RepositoryPolicy } from "./Policy.ts";
import { scanReasons } from "./scanReasons.ts";
import type { PlatformVerdict } from "./Verdict.ts";

/** One platform image of a release candidate and its scan result, if one arrived. */
export interface PlatformScan {
  /** Label such as `linux/arm64`. */
  readonly platform: string;
  /** The platform image's manifest digest (what ECR scans), not the index digest. */
  readonly digest: Digest;
  readonly scan?: ScanFindings;
  /**
   * What the scan event counted per severity: a floor. Findings can be listed after a scan says COMPLETE,
   * so fewer listed at any severity fails (the caller re-reads until its deadline).
   */
  readonly countedAtScan?: SeverityCounts;
}

/**
 * Decides one platform: scan usable (present, same image, COMPLETE/ACTIVE, fully listed) and every
 * threshold kept after the allowlist. An image ECR cannot scan passes only with an active unsupported-image
 * exception of the repository (recorded as `exception`, warned about loudly). Findings are classified even when the scan is unusable, so
 * the report shows them.
 * @example evaluatePlatform({ platform: "linux/amd64", digest, scan }, repositoryPolicy, new Date())
 */
export function evaluatePlatform(input: PlatformScan, policy: RepositoryPolicy, now: Date): PlatformVerdict {
  const { platform, digest, scan } = input;
  const classified = classifyFindings(scan?.findings ?? [], policy, now);
  const thresholds = checkThresholds(classified.counted, policy);
  const exception = matchException(scan, policy.unsupportedImages, now);
  const reasons = [
    ...scanReasons(platform, digest, scan, policy.repository, input.countedAtScan).filter(
      (reason) => exception === undefined || reason.kind !== "scan-status-not-passable",
    ),
    ...thresholds.breaches.map((breach) => ({
      kind: "threshold-exceeded" as const,
      platform,
      digest,
      ...breach,
    })),
  ];
  return {
    platform,
    digest,
    outcome: reasons.length === 0 ? "pass" : "fail",
    status: scan?.status ?? "MISSING",
    counts: scan?.counts ?? emptySeverityCounts(),
    counted: thresholds.counted,
    blocking: thresholds.blocking,
    allowlisted: classified.allowlisted,
    expiredAllowlist: classified.expiredAllowlist,
    ...(exception && { exception }),
    reasons,
  };
}
