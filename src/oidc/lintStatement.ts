import { hasWildcard } from "../core/wildcard.ts";
import type { ConditionEntry } from "./conditionEntries.ts";
import { AUD_KEY, GITHUB_OIDC_HOST, STS_AUDIENCE, SUB_KEY } from "./githubOidc.ts";
import type { ReadStatement } from "./readTrustPolicy.ts";
import { KNOWN_SUBJECT_REST, subjectParts } from "./subjectParts.ts";
import type { TrustPolicyFinding } from "./TrustPolicyFinding.ts";

/** What the policy is expected to admit, when the caller knows (`--repo`, `--branch`…). */
export interface TrustExpectations {
  /** `OWNER/REPO` exactly as GitHub spells it. */
  readonly repository?: string;
  readonly branches?: readonly string[];
  readonly tagPatterns?: readonly string[];
  readonly environments?: readonly string[];
}

/**
 * The findings one can read off a GitHub statement's text: missing or wrong `aud`, missing `sub`, weak
 * operators, `*` under StringEquals, case mismatches, claims IAM does not evaluate.
 */
export function lintStatement(statement: ReadStatement, expected: TrustExpectations): TrustPolicyFinding[] {
  const at = (finding: Omit<TrustPolicyFinding, "statement">): TrustPolicyFinding => ({
    ...finding,
    statement: statement.index,
  });
  const aud = statement.conditions.filter((entry) => entry.key === AUD_KEY);
  const sub = statement.conditions.filter((entry) => entry.key === SUB_KEY);
  const findings = [
    ...actionFindings(statement),
    ...audienceFindings(aud),
    ...subjectFindings(sub, expected),
    ...claimFindings(statement.conditions),
  ];
  return findings.map(at);
}

type Draft = Omit<TrustPolicyFinding, "statement">;

function actionFindings(statement: ReadStatement): Draft[] {
  const broad = statement.actions.filter((action) => action === "*" || action.toLowerCase() === "sts:*");
  return broad.map((action) => ({
    code: "wrong-action",
    severity: "error",
    value: action,
    message: "allows every STS action; allow sts:AssumeRoleWithWebIdentity only",
  }));
}

function audienceFindings(entries: readonly ConditionEntry[]): Draft[] {
  if (entries.length === 0)
    return [
      {
        code: "missing-aud",
        severity: "error",
        message: `has no condition on ${AUD_KEY}: require StringEquals "${STS_AUDIENCE}"`,
      },
    ];
  return entries.flatMap((entry) => [
    ...weakOperator(entry),
    ...entry.values.flatMap((value): Draft[] => {
      if (value === STS_AUDIENCE) return [];
      if (value.toLowerCase() === STS_AUDIENCE)
        return [
          {
            code: "case-mismatch",
            severity: "error",
            value,
            message: `must be "${STS_AUDIENCE}" exactly (IAM compares case-sensitively)`,
          },
        ];
      return [
        {
          code: "wrong-aud",
          severity: "error",
          value,
          message: `is not the audience configure-aws-credentials requests ("${STS_AUDIENCE}")`,
        },
      ];
    }),
  ]);
}

function subjectFindings(entries: readonly ConditionEntry[], expected: TrustExpectations): Draft[] {
  if (entries.length === 0)
    return [
      {
        code: "missing-sub",
        severity: "error",
        message: `has no condition on ${SUB_KEY}: any repository on GitHub could assume the role`,
      },
    ];
  return entries.flatMap((entry) => [
    ...weakOperator(entry),
    ...entry.values.flatMap((value) => subjectValueFindings(entry, value, expected)),
  ]);
}

function weakOperator(entry: ConditionEntry): Draft[] {
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

function subjectValueFindings(entry: ConditionEntry, value: string, expected: TrustExpectations): Draft[] {
  if (entry.base.startsWith("StringEquals") && hasWildcard(value))
    return [
      {
        code: "literal-wildcard",
        severity: "error",
        value,
        message:
          "uses a wildcard under StringEquals, which compares it literally: this subject never matches",
      },
    ];
  const parts = subjectParts(value);
  if (parts === undefined)
    return hasWildcard(value)
      ? []
      : [
          {
            code: "unrecognized-subject",
            severity: "warning",
            value,
            message: "is not of the form repo:OWNER/REPO:…",
          },
        ];
  const findings: Draft[] = [];
  if (parts.rest !== undefined && !hasWildcard(parts.rest) && !KNOWN_SUBJECT_REST.test(parts.rest))
    findings.push({
      code: "unrecognized-subject",
      severity: "warning",
      value,
      message:
        "is not a subject GitHub issues (ref:refs/heads/<branch>, ref:refs/tags/<tag>, environment:<name>)",
    });
  findings.push(
    ...repositoryCase(parts.repository, value, expected),
    ...refCase(parts.rest, value, expected),
  );
  return findings;
}

function repositoryCase(repository: string, value: string, expected: TrustExpectations): Draft[] {
  const want = expected.repository;
  if (want === undefined || repository === want || hasWildcard(repository)) return [];
  if (repository.toLowerCase() === want.toLowerCase())
    return [
      {
        code: "case-mismatch",
        severity: "error",
        value,
        message: `spells the repository "${repository}", GitHub sends "${want}" (case-sensitive)`,
      },
    ];
  return [
    { code: "other-repository", severity: "error", value, message: `admits ${repository}, not ${want}` },
  ];
}

function refCase(rest: string | undefined, value: string, expected: TrustExpectations): Draft[] {
  if (rest === undefined) return [];
  const names: [string, readonly string[] | undefined][] = [
    ["ref:refs/heads/", expected.branches],
    ["ref:refs/tags/", expected.tagPatterns],
    ["environment:", expected.environments],
  ];
  for (const [prefix, wanted] of names) {
    if (!rest.toLowerCase().startsWith(prefix.toLowerCase()) || wanted === undefined) continue;
    const name = rest.slice(prefix.length);
    const sameButCase = wanted.find((w) => w !== name && w.toLowerCase() === name.toLowerCase());
    if (rest.startsWith(prefix) && sameButCase === undefined) return [];
    return [
      {
        code: "case-mismatch",
        severity: "error",
        value,
        message: `spells "${rest}", GitHub sends "${prefix}${sameButCase ?? name}" (case-sensitive)`,
      },
    ];
  }
  return [];
}

function claimFindings(entries: readonly ConditionEntry[]): Draft[] {
  return entries
    .filter(
      (entry) =>
        entry.key.startsWith(`${GITHUB_OIDC_HOST}:`) && entry.key !== AUD_KEY && entry.key !== SUB_KEY,
    )
    .map((entry) => ({
      code: "unsupported-claim",
      severity: "warning",
      value: entry.rawKey,
      message:
        "is not a claim IAM evaluates for GitHub tokens (only aud and sub): a condition on it never matches",
    }));
}
