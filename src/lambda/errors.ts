import type { ValidationIssue } from "../core/index.ts";
import { ValidationError } from "../core/index.ts";

/**
 * The function's environment (set by the stacks) is missing or has an invalid variable: thrown at init, so the
 * function fails before handling any event and the message names each variable and what is wrong with it.
 */
export class SettingsError extends ValidationError {
  constructor(issues: readonly ValidationIssue[]) {
    super("Lambda environment (variables set by the Portcullis stacks)", issues);
  }
}
