import { hasWildcard } from "../core/wildcard.ts";
import type { ConditionEntry } from "./conditionEntries.ts";
import { SUB_KEY } from "./githubOidc.ts";
import { subjectClassFindings } from "./subjectClassFindings.ts";
import { KNOWN_SUBJECT_REST, subjectParts } from "./subjectParts.ts";
import type { TrustExpectations } from "./TrustExpectations.ts";
import type { FindingDraft } from "./TrustPolicyFinding.ts";
import { weakOperator } from "./weakOperator.ts";

/**
 * What a statement's `sub` conditions say on their face: missing, weak, `*` under StringEquals, a wildcard in
 * `OWNER/REPO`, wrong case, and (when the repository is expected) subjects beyond the expected refs.
 */
export function subjectFindings(
  entries: readonly ConditionEntry[],
  expected: TrustExpectations,
): FindingDraft[] {
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
    ...(entry.base.startsWith("StringNot") || entry.base === "Null"
      ? []
      : entry.values.flatMap((value) => subjectValueFindings(entry, value, expected))),
  ]);
}

function subjectValueFindings(
  entry: ConditionEntry,
  value: string,
  expected: TrustExpectations,
): FindingDraft[] {
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
      ? repositoryPattern(value, value)
      : [
          {
            code: "unrecognized-subject",
            severity: "warning",
            value,
            message: "is not of the form repo:OWNER/REPO:…",
          },
        ];
  const findings: FindingDraft[] = [];
  if (parts.rest !== undefined && !hasWildcard(parts.rest) && !KNOWN_SUBJECT_REST.test(parts.rest))
    findings.push({
      code: "unrecognized-subject",
      severity: "warning",
      value,
      message:
        "is not a subject GitHub issues (ref:refs/heads/<branch>, ref:refs/tags/<tag>, environment:<name>)",
    });
  if (hasWildcard(parts.repository)) return [...findings, ...repositoryPattern(parts.repository, value)];
  const wrongCase = [
    ...repositoryCase(parts.repository, value, expected),
    ...refCase(parts.rest, value, expected),
  ];
  findings.push(...wrongCase);
  const expectedRepository = expected.repository ?? parts.repository;
  if (wrongCase.length === 0 && parts.rest !== undefined && parts.repository === expectedRepository)
    findings.push(...subjectClassFindings(parts.rest, value, expected));
  return findings;
}

/** Any wildcard in `OWNER/REPO` lets a stranger's repository in: `*\/shop`, `octo*\/shop`, `octo/shop*`. */
function repositoryPattern(repository: string, value: string): FindingDraft[] {
  if (!value.startsWith("repo:") && !hasWildcard(value.slice(0, "repo:".length))) return [];
  return [
    {
      code: "repository-pattern",
      severity: "error",
      value,
      message: `has a wildcard in OWNER/REPO (${repository}): repositories of other accounts or siblings can match it; name the repository exactly`,
    },
  ];
}

function repositoryCase(repository: string, value: string, expected: TrustExpectations): FindingDraft[] {
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

function refCase(rest: string | undefined, value: string, expected: TrustExpectations): FindingDraft[] {
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
