import { ValidationError } from "../core/index.ts";
import { formatPolicyIssue } from "./formatPolicyIssue.ts";
import type { PolicyIssue } from "./PolicyIssue.ts";

/**
 * Thrown at the edges (handler start-up, CLI) when a policy file is refused; the message lists every
 * issue as `file:line:column: field: value message`.
 * @example
 * const policy = parsePolicy(text, key);
 * if (!policy.ok) throw new InvalidPolicyError(policy.error, key);
 */
export class InvalidPolicyError extends ValidationError {
  override readonly issues: readonly PolicyIssue[];
  readonly source: string | undefined;

  constructor(issues: readonly PolicyIssue[], source?: string) {
    super(source === undefined ? "policy" : `policy ${source}`, issues);
    this.issues = issues;
    this.source = source;
    this.message = `invalid ${source === undefined ? "policy" : `policy ${source}`}:\n${issues.map(formatPolicyIssue).join("\n")}`;
  }
}
