/** What a trust policy finding is about; stable identifiers for scripts and tests. */
export type TrustPolicyFindingCode =
  | "no-github-statement"
  | "wildcard-principal"
  | "other-principal"
  | "wrong-action"
  | "missing-aud"
  | "wrong-aud"
  | "missing-sub"
  | "any-repository"
  | "wildcard-repository"
  | "other-owner"
  | "repository-pattern"
  | "subject-pattern"
  | "extra-ref"
  | "extra-environment"
  | "admits-pull-requests"
  | "any-branch"
  | "case-mismatch"
  | "other-repository"
  | "literal-wildcard"
  | "weak-operator"
  | "unsupported-claim"
  | "unrecognized-subject"
  | "not-admitted";

/** One problem in a trust policy: errors let the wrong workflows in (or the right ones not), warnings are risky. */
export interface TrustPolicyFinding {
  readonly code: TrustPolicyFindingCode;
  readonly severity: "error" | "warning";
  /** Index of the statement in `Statement`, when the finding is about one. */
  readonly statement?: number;
  /** The offending value (a subject, an audience, an operator…). */
  readonly value?: unknown;
  readonly message: string;
}

/** A finding before it is attributed to a statement. */
export type FindingDraft = Omit<TrustPolicyFinding, "statement">;
