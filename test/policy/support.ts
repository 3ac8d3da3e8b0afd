import { type Digest, emptySeverityCounts, type ScanStatus } from "../../src/core/index.ts";
import { countSeverities, type Finding, type ScanFindings } from "../../src/findings/index.ts";
import { type Policy, parsePolicy } from "../../src/policy/index.ts";

/** A valid digest made of one repeated hex character. */
export function digestOf(char: string): Digest {
  return `sha256:${char.repeat(64)}`;
}

/** Parses a policy written in a test, failing the test with its issues when invalid. */
export function policyFrom(text: string): Policy {
  const result = parsePolicy(text);
  if (!result.ok) throw new Error(JSON.stringify(result.error, null, 2));
  return result.value;
}

/** A finding with only what a rule looks at. */
export function finding(
  id: string,
  severity: Finding["severity"],
  fixAvailable: Finding["fixAvailable"] = "YES",
  pkg = "openssl",
): Finding {
  return {
    id,
    severity,
    package: pkg,
    installedVersion: "1.0",
    fixAvailable,
    exploitAvailable: "UNKNOWN",
    source: "enhanced",
  };
}

/** A complete scan report of `findings` for `digest` in payments/api. */
export function scanOf(
  digest: Digest,
  findings: readonly Finding[],
  changes: Partial<ScanFindings> & { status?: ScanStatus } = {},
): ScanFindings {
  return {
    repository: "payments/api",
    digest,
    status: "COMPLETE",
    findings,
    counts: findings.length > 0 ? countSeverities(findings.map((f) => f.severity)) : emptySeverityCounts(),
    unlisted: [],
    ...changes,
  };
}
