import type { Digest, ScanStatus, Severity, SeverityCounts } from "../core/index.ts";
import type { Finding } from "./Finding.ts";

/** A severity whose AWS-reported count is larger than the findings listed: pages are missing. */
export interface UnlistedFindings {
  readonly severity: Severity;
  /** `findingSeverityCounts` as AWS reported it. */
  readonly reported: number;
  /** Findings of that severity present in the pages given. */
  readonly listed: number;
}

/** One platform image's scan result, all pages merged: what a policy is evaluated against. */
export interface ScanFindings {
  readonly repository?: string;
  readonly registryId?: string;
  readonly digest?: Digest;
  readonly platform?: string;
  readonly status: ScanStatus;
  readonly statusDescription?: string;
  /** ISO 8601. */
  readonly completedAt?: string;
  /** ISO 8601: when the vulnerability database was last updated. */
  readonly vulnerabilitySourceUpdatedAt?: string;
  /** De-duplicated findings (same id + package + installed version once). */
  readonly findings: readonly Finding[];
  /** Counts recomputed from `findings`, every severity present. */
  readonly counts: SeverityCounts;
  /**
   * Findings listed per severity as compared with AWS's counts (per AWS finding and per package, the larger):
   * absent, `counts` stands in.
   */
  readonly listed?: SeverityCounts;
  /** AWS's `findingSeverityCounts` with zeros filled in, when the response had them. */
  readonly reportedCounts?: SeverityCounts;
  /** Severities where AWS reports more findings than the pages list (empty when complete). */
  readonly unlisted: readonly UnlistedFindings[];
}
