import { emptySeverityCounts, SEVERITIES, type Severity, type SeverityCounts } from "../core/index.ts";
import type { CountedFinding } from "./classifyFindings.ts";
import type { Fixability, RepositoryPolicy } from "./Policy.ts";
import type { BlockingFinding, ThresholdBreach } from "./Verdict.ts";

const FIXABILITIES: readonly Fixability[] = ["fixable", "unfixable"];

/** Counted findings compared with the thresholds. */
export interface ThresholdCheck {
  readonly counted: Record<Fixability, SeverityCounts>;
  readonly breaches: ThresholdBreach[];
  /** Every finding in a table cell whose count is over its limit. */
  readonly blocking: BlockingFinding[];
}

/**
 * Counts findings per table (fixable/unfixable) and severity and compares each count with its limit:
 * a count equal to the limit passes, one more fails. Unlimited (`null`) cells never fail.
 * @example checkThresholds(classified.counted, repositoryPolicy).breaches
 */
export function checkThresholds(
  findings: readonly CountedFinding[],
  policy: RepositoryPolicy,
): ThresholdCheck {
  const counted = { fixable: emptySeverityCounts(), unfixable: emptySeverityCounts() };
  for (const { finding, fixability } of findings) counted[fixability][finding.severity] += 1;
  const check: ThresholdCheck = { counted, breaches: [], blocking: [] };
  for (const fixability of FIXABILITIES) {
    for (const severity of SEVERITIES) {
      const breach = breachOf(policy, fixability, severity, check.counted[fixability][severity]);
      if (!breach) continue;
      check.breaches.push(breach);
      for (const one of findings) {
        if (one.fixability === fixability && one.finding.severity === severity)
          check.blocking.push({ ...one, threshold: breach });
      }
    }
  }
  return check;
}

function breachOf(
  policy: RepositoryPolicy,
  fixability: Fixability,
  severity: Severity,
  actual: number,
): ThresholdBreach | undefined {
  const limit = policy.thresholds[fixability][severity];
  return limit !== null && actual > limit ? { severity, fixability, limit, actual } : undefined;
}
