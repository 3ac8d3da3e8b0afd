import { createHash } from "node:crypto";
import type { FindingChanged } from "../../events/index.ts";

/**
 * Names a finding change by what can change a decision: the finding ARN, vulnerability id, severity, status,
 * fix availability and each vulnerable package with its fixed version. Inspector re-fires `Inspector2 Finding`
 * when vendor metadata changes (scores, EPSS, references, display timestamps): such an event gets the same key,
 * so it changes nothing and notifies nobody again; a severity raised or a fix published gets a new one.
 * @example findingChangeKey(event) // "4f1c…" (32 hex characters)
 */
export function findingChangeKey(finding: FindingChanged): string {
  const packages = finding.packages
    .map((p) => [p.name, p.version ?? "", p.fixedInVersion ?? "", p.packageManager ?? ""].join("@"))
    .sort();
  const fields = [
    finding.findingArn,
    finding.id,
    finding.severity,
    finding.status,
    finding.fixAvailable ?? "",
    ...packages,
  ];
  return createHash("sha256").update(fields.join("\u0000")).digest("hex").slice(0, 32);
}
