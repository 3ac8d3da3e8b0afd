/** One condition of a statement: `ForAnyValue:StringLike` on `…:sub` with its values, operator parsed. */
export interface ConditionEntry {
  /** The operator as written, e.g. `ForAnyValue:StringLikeIfExists`. */
  readonly operator: string;
  /** The operator without set qualifier and `IfExists`, e.g. `StringLike`. */
  readonly base: string;
  readonly qualifier: "ForAnyValue" | "ForAllValues" | undefined;
  readonly ifExists: boolean;
  /** The condition key, lowercased (IAM compares keys case-insensitively). */
  readonly key: string;
  /** The key as written. */
  readonly rawKey: string;
  readonly values: readonly string[];
}

/**
 * Flattens an IAM `Condition` block into entries. Non-string values (`Bool`, numbers) are kept as text.
 * @example conditionEntries({ StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" } })
 */
export function conditionEntries(condition: unknown): ConditionEntry[] {
  if (!isRecord(condition)) return [];
  return Object.entries(condition).flatMap(([operator, keys]) => {
    if (!isRecord(keys)) return [];
    const { base, qualifier, ifExists } = parseOperator(operator);
    return Object.entries(keys).map(([rawKey, value]) => ({
      operator,
      base,
      qualifier,
      ifExists,
      key: rawKey.toLowerCase(),
      rawKey,
      values: (Array.isArray(value) ? value : [value]).map(String),
    }));
  });
}

function parseOperator(operator: string): Pick<ConditionEntry, "base" | "qualifier" | "ifExists"> {
  const [first, second] = operator.split(":", 2);
  const qualifier =
    second !== undefined && (first === "ForAnyValue" || first === "ForAllValues") ? first : undefined;
  let base = qualifier ? (second ?? "") : operator;
  const ifExists = base.endsWith("IfExists");
  if (ifExists) base = base.slice(0, -"IfExists".length);
  return { base, qualifier, ifExists };
}

/** True for a plain object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
