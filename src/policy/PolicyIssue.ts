import type { ValidationIssue } from "../core/index.ts";

/** A reason a policy file was refused, with where it is (1-based line and column) when known. */
export interface PolicyIssue extends ValidationIssue {
  /** File name or other label the text came from, when the caller gave one. */
  readonly source?: string;
  readonly line?: number;
  readonly column?: number;
}
