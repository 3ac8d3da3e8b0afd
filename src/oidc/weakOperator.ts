import type { ConditionEntry } from "./conditionEntries.ts";
import type { FindingDraft } from "./TrustPolicyFinding.ts";

/** Operators that let a condition pass more than it seems to: IfExists, ForAllValues, negations, IgnoreCase. */
export function weakOperator(entry: ConditionEntry): FindingDraft[] {
  const { operator, rawKey } = entry;
  if (entry.ifExists || entry.qualifier === "ForAllValues")
    return [
      {
        code: "weak-operator",
        severity: "error",
        value: operator,
        message: `on ${rawKey} also passes when the token lacks the claim`,
      },
    ];
  if (entry.base.startsWith("StringNot"))
    return [
      {
        code: "weak-operator",
        severity: "warning",
        value: operator,
        message: `on ${rawKey} admits every value it does not list`,
      },
    ];
  if (entry.base.endsWith("IgnoreCase"))
    return [
      {
        code: "weak-operator",
        severity: "warning",
        value: operator,
        message: `on ${rawKey}: GitHub's claims are case-sensitive, compare with StringEquals`,
      },
    ];
  if (!["StringEquals", "StringLike", "Null"].includes(entry.base))
    return [
      {
        code: "weak-operator",
        severity: "warning",
        value: operator,
        message: `is not a string operator IAM applies as intended to ${rawKey}`,
      },
    ];
  return [];
}
