import { emptySeverityCounts, type SeverityCounts } from "../core/index.ts";
import { countSeverities } from "./countSeverities.ts";
import { dedupeFindings } from "./dedupeFindings.ts";
import type { Finding } from "./Finding.ts";
import { fromBasicFinding } from "./fromBasicFinding.ts";
import { fromEnhancedFinding } from "./fromEnhancedFinding.ts";
import type { EnhancedFindingInput, ScanFindingsPage } from "./scanFindingsSchema.ts";

/** The merged findings of every page, and how many AWS findings each severity lists. */
export interface CollectedFindings {
  readonly findings: Finding[];
  /**
   * Listed findings per severity, counted both per AWS finding and per package (the larger wins), so
   * comparing with `findingSeverityCounts` works whichever way AWS counts.
   */
  readonly listed: SeverityCounts;
}

/**
 * Maps and de-duplicates the findings of every page. Inspector findings whose `status` is `CLOSED`
 * (no longer present) are left out; `SUPPRESSED` ones are kept: the policy's allowlist, with owner and
 * expiry, is the place for exceptions.
 * @example collectFindings(pages, "linux/amd64").findings
 */
export function collectFindings(pages: readonly ScanFindingsPage[], platform?: string): CollectedFindings {
  const rawKeys = new Map<string, Finding["severity"]>();
  const mapped: Finding[] = [];
  for (const page of pages) {
    for (const basic of page.imageScanFindings?.findings ?? []) {
      const finding = fromBasicFinding(basic, platform);
      rawKeys.set(
        `basic\u0000${finding.id}\u0000${finding.package}\u0000${finding.installedVersion}`,
        finding.severity,
      );
      mapped.push(finding);
    }
    for (const enhanced of page.imageScanFindings?.enhancedFindings ?? []) {
      if (enhanced.status === "CLOSED") continue;
      rawKeys.set(enhancedKey(enhanced), enhanced.severity);
      mapped.push(...fromEnhancedFinding(enhanced, platform));
    }
  }
  const findings = dedupeFindings(mapped);
  return {
    findings,
    listed: maxCounts(countSeverities(rawKeys.values()), countSeverities(findings.map((f) => f.severity))),
  };
}

function enhancedKey(finding: EnhancedFindingInput): string {
  if (finding.findingArn) return `arn\u0000${finding.findingArn}`;
  const packages = (finding.packageVulnerabilityDetails.vulnerablePackages ?? []).map(
    (p) => `${p.name}@${p.version}`,
  );
  return `enhanced\u0000${finding.packageVulnerabilityDetails.vulnerabilityId}\u0000${packages.sort().join(",")}`;
}

function maxCounts(a: SeverityCounts, b: SeverityCounts): SeverityCounts {
  const counts = emptySeverityCounts();
  for (const severity of Object.keys(counts) as (keyof SeverityCounts)[]) {
    counts[severity] = Math.max(a[severity], b[severity]);
  }
  return counts;
}
