import { formatIssues } from "./formatIssue.ts";
import type { ValidationIssue } from "./result.ts";

/** Thrown at the edges (CLI, handlers) when input is refused; carries every issue as data. */
export class ValidationError extends Error {
  override readonly name = "ValidationError";
  readonly issues: readonly ValidationIssue[];

  constructor(what: string, issues: readonly ValidationIssue[]) {
    super(`invalid ${what}:\n${formatIssues(issues)}`);
    this.issues = issues;
  }
}
