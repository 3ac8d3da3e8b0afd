import type { ConditionEntry } from "./conditionEntries.ts";
import { AUD_KEY, GITHUB_OIDC_HOST, STS_AUDIENCE, SUB_KEY } from "./githubOidc.ts";
import type { ReadStatement } from "./readTrustPolicy.ts";
import { subjectFindings } from "./subjectFindings.ts";
import type { TrustExpectations } from "./TrustExpectations.ts";
import type { FindingDraft, TrustPolicyFinding } from "./TrustPolicyFinding.ts";
import { weakOperator } from "./weakOperator.ts";

/**
 * The findings one can read off a GitHub statement's text: missing or wrong `aud`, missing `sub`, weak
 * operators, `*` under StringEquals, case mismatches, claims IAM does not evaluate.
 */
export function lintStatement(statement: ReadStatement, expected: TrustExpectations): TrustPolicyFinding[] {
  const at = (finding: FindingDraft): TrustPolicyFinding => ({
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

function actionFindings(statement: ReadStatement): FindingDraft[] {
  const broad = statement.actions.filter((action) => action === "*" || action.toLowerCase() === "sts:*");
  return broad.map((action) => ({
    code: "wrong-action",
    severity: "error",
    value: action,
    message: "allows every STS action; allow sts:AssumeRoleWithWebIdentity only",
  }));
}

function audienceFindings(entries: readonly ConditionEntry[]): FindingDraft[] {
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
    ...entry.values.flatMap((value): FindingDraft[] => {
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

function claimFindings(entries: readonly ConditionEntry[]): FindingDraft[] {
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
