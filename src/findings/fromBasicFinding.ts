import { dropUndefined } from "./dropUndefined.ts";
import type { Finding } from "./Finding.ts";
import type { BasicFindingInput } from "./scanFindingsSchema.ts";

/**
 * Maps an ECR basic-scanning finding onto {@link Finding}. Basic scans say nothing about fixes or
 * exploits (`UNKNOWN`); package, version and CVSS come from `attributes`.
 * @example fromBasicFinding({ name: "CVE-2023-1", severity: "HIGH", attributes: [] }, "linux/amd64")
 */
export function fromBasicFinding(input: BasicFindingInput, platform?: string): Finding {
  const attribute = (key: string) => input.attributes?.find((a) => a.key === key)?.value || undefined;
  return dropUndefined({
    id: input.name,
    severity: input.severity,
    package: attribute("package_name"),
    installedVersion: attribute("package_version"),
    fixAvailable: "UNKNOWN",
    exploitAvailable: "UNKNOWN",
    score: toScore(attribute("CVSS3_SCORE")) ?? toScore(attribute("CVSS2_SCORE")),
    link: input.uri || undefined,
    description: input.description || undefined,
    platform,
    source: "basic",
  });
}

function toScore(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const score = Number(text);
  return Number.isFinite(score) ? score : undefined;
}
