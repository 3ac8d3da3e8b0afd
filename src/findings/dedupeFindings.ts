import { SEVERITIES } from "../core/index.ts";
import type { Finding } from "./Finding.ts";
import { findingKey } from "./findingKey.ts";

/**
 * Keeps one finding per id + package + installed version, in first-seen order. When duplicates
 * disagree on severity the more severe one wins (fail closed).
 * @example dedupeFindings([a, a, b]) // [a, b]
 */
export function dedupeFindings(findings: readonly Finding[]): Finding[] {
  const byKey = new Map<string, Finding>();
  for (const finding of findings) {
    const key = findingKey(finding);
    const seen = byKey.get(key);
    if (!seen || rank(finding) < rank(seen)) byKey.set(key, finding);
  }
  return [...byKey.values()];
}

function rank(finding: Finding): number {
  return SEVERITIES.indexOf(finding.severity);
}
