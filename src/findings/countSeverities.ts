import { emptySeverityCounts, type Severity, type SeverityCounts } from "../core/index.ts";

/**
 * Counts how often each severity occurs, every severity present.
 * @example countSeverities(findings.map((f) => f.severity)) // { CRITICAL: 1, HIGH: 0, … }
 */
export function countSeverities(severities: Iterable<Severity>): SeverityCounts {
  const counts = emptySeverityCounts();
  for (const severity of severities) counts[severity] += 1;
  return counts;
}
