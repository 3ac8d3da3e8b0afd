import type { Severity } from "../core/index.ts";

/** Whether a fix exists: from Inspector's `fixAvailable`; basic scans do not say, so `UNKNOWN`. */
export type FixAvailability = "YES" | "NO" | "PARTIAL" | "UNKNOWN";
/** Whether a public exploit is known: from Inspector's `exploitAvailable`; basic scans say `UNKNOWN`. */
export type ExploitAvailability = "YES" | "NO" | "UNKNOWN";
/** Which DescribeImageScanFindings list a finding came from. */
export type FindingSource = "basic" | "enhanced";

/**
 * One vulnerability in one package of one platform image: the single model for ECR basic
 * `findings[]` and Inspector `enhancedFindings[]` (one Finding per vulnerable package).
 */
export interface Finding {
  /** Vulnerability id, e.g. `CVE-2019-17498` or `GHSA-…`. */
  readonly id: string;
  readonly severity: Severity;
  /** Affected package name, when the scanner names one. */
  readonly package?: string;
  /** Installed version (`[epoch:]version[-release]` for Inspector packages). */
  readonly installedVersion?: string;
  /** First version that fixes it, when known. */
  readonly fixedInVersion?: string;
  readonly fixAvailable: FixAvailability;
  readonly exploitAvailable: ExploitAvailability;
  /** Inspector score, else CVSS (v3 preferred) score. */
  readonly score?: number;
  /** Where to read about it (advisory or scanner page). */
  readonly link?: string;
  readonly title?: string;
  readonly description?: string;
  /** Platform label given by the caller (e.g. `linux/arm64`). */
  readonly platform?: string;
  readonly source: FindingSource;
}
