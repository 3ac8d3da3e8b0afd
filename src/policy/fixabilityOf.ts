import type { Finding } from "../findings/index.ts";
import type { Fixability } from "./Policy.ts";

/**
 * Which threshold table a finding counts against: a fix (even a PARTIAL one) makes it fixable, NO
 * makes it unfixable, and UNKNOWN (basic scans) follows the policy's `unknownFix`.
 * @example fixabilityOf({ fixAvailable: "UNKNOWN" }, "unfixable") // "unfixable"
 */
export function fixabilityOf(finding: Pick<Finding, "fixAvailable">, unknownFix: Fixability): Fixability {
  switch (finding.fixAvailable) {
    case "YES":
    case "PARTIAL":
      return "fixable";
    case "NO":
      return "unfixable";
    case "UNKNOWN":
      return unknownFix;
  }
}
