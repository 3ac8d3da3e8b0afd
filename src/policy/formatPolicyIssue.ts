import { formatIssue } from "../core/index.ts";
import type { PolicyIssue } from "./PolicyIssue.ts";

/**
 * Renders a policy issue as `file:line:column: field: value message`, the form editors link.
 * @example formatPolicyIssue({ source: "policy.yaml", line: 4, column: 5, field: "thresholds.fixable.CRTICAL", value: 0, message: "is not a severity …" })
 * // => "policy.yaml:4:5: thresholds.fixable.CRTICAL: 0 is not a severity …"
 */
export function formatPolicyIssue(issue: PolicyIssue): string {
  const place = [issue.source, issue.line, issue.column].filter((part) => part !== undefined).join(":");
  return place === "" ? formatIssue(issue) : `${place}: ${formatIssue(issue)}`;
}
