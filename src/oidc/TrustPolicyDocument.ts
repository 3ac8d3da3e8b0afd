/** A condition block: operator → condition key → value(s). */
export type ConditionBlock = Record<string, Record<string, string | string[]>>;

/** One statement of an IAM role trust policy, as IAM stores it. */
export interface TrustStatement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal: { readonly Federated: string };
  readonly Action: string;
  readonly Condition: ConditionBlock;
}

/** A role trust policy document. */
export interface TrustPolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly TrustStatement[];
}
