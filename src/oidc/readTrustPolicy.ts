import { fail, ok, type Result } from "../core/result.ts";
import { type ConditionEntry, conditionEntries, isRecord } from "./conditionEntries.ts";
import { GITHUB_OIDC_HOST } from "./githubOidc.ts";
import { parsePolicyText } from "./parsePolicyText.ts";

/** A trust policy statement reduced to what the linter reads. */
export interface ReadStatement {
  readonly index: number;
  readonly effect: string;
  readonly actions: readonly string[];
  /** `Principal: "*"` or `{ AWS: "*" }`: anyone. */
  readonly anyPrincipal: boolean;
  /** Whether the federated principal is the GitHub Actions OIDC provider. */
  readonly github: boolean;
  /** Every other principal it names, as `Federated: ARN`, `AWS: ARN` or `Service: NAME` (`*` excluded). */
  readonly otherPrincipals: readonly string[];
  readonly conditions: readonly ConditionEntry[];
}

/**
 * Reads a trust policy as a document, as `aws iam get-role` prints it (`{ Role: { AssumeRolePolicyDocument } }`),
 * or as the URL-encoded string the IAM API returns.
 * @example readTrustPolicy(JSON.parse(text))
 */
export function readTrustPolicy(input: unknown): Result<ReadStatement[]> {
  if (typeof input === "string") {
    const parsed = parsePolicyText(input);
    if (!parsed.ok) {
      const { line, column, reason } = parsed.error;
      const at = line === undefined ? "" : ` at line ${line}, column ${column}`;
      return fail([
        { field: "(text)", value: input.slice(0, 40), message: `is not valid JSON${at}: ${reason}` },
      ]);
    }
    return readTrustPolicy(parsed.value);
  }
  const document = unwrap(input);
  const statements = isRecord(document) ? document.Statement : undefined;
  const list = Array.isArray(statements) ? statements : isRecord(statements) ? [statements] : undefined;
  if (list === undefined)
    return fail([
      { field: "Statement", value: statements, message: "is missing: not an IAM policy document" },
    ]);
  return ok(list.map((statement, index) => readStatement(statement, index)));
}

function unwrap(input: unknown): unknown {
  if (typeof input === "string") {
    const parsed = parsePolicyText(input);
    return parsed.ok ? unwrap(parsed.value) : undefined;
  }
  if (isRecord(input) && isRecord(input.Role)) return unwrap(input.Role.AssumeRolePolicyDocument);
  if (isRecord(input) && "AssumeRolePolicyDocument" in input) return unwrap(input.AssumeRolePolicyDocument);
  return input;
}

function readStatement(statement: unknown, index: number): ReadStatement {
  const s = isRecord(statement) ? statement : {};
  const principal = s.Principal;
  const federated = isRecord(principal) ? strings(principal.Federated) : [];
  const others = isRecord(principal)
    ? Object.entries(principal).flatMap(([kind, value]) =>
        strings(value)
          .filter((name) => name !== "*" && !(kind === "Federated" && name.endsWith(GITHUB_OIDC_HOST)))
          .map((name) => `${kind}: ${name}`),
      )
    : [];
  return {
    index,
    effect: String(s.Effect ?? ""),
    actions: strings(s.Action),
    anyPrincipal: principal === "*" || (isRecord(principal) && strings(principal.AWS).includes("*")),
    github: federated.some((value) => value.endsWith(GITHUB_OIDC_HOST)),
    otherPrincipals: others,
    conditions: conditionEntries(s.Condition),
  };
}

function strings(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  return value === undefined ? [] : [String(value)];
}
