import { hasWildcard, matchesWildcard } from "../core/wildcard.ts";
import type { TrustExpectations } from "./TrustExpectations.ts";
import type { FindingDraft } from "./TrustPolicyFinding.ts";

const BRANCH = "ref:refs/heads/";
const TAG = "ref:refs/tags/";
const ENVIRONMENT = "environment:";

/**
 * What a subject of the expected repository admits beyond the expected branches, tag patterns and
 * environments (`rest` is what follows `repo:OWNER/REPO:`): a wildcard outside an expected tag pattern is an
 * error (`refs/heads/main*` admits a branch `main-attacker`, which main's protection does not cover), so is an
 * environment not expected (GitHub creates an environment the first time a workflow names it, so a job on any
 * branch can obtain its subject); an extra exact branch or tag is a warning. Without a list (no expectations
 * at all), only wildcards in branches and environments are reported: release branches are exact names.
 * @example subjectClassFindings("ref:refs/heads/dev", value, { repository: "o/r", branches: ["main"] }) // extra-ref
 */
export function subjectClassFindings(
  rest: string,
  value: string,
  expected: TrustExpectations,
): FindingDraft[] {
  if (rest === "pull_request") return [];
  if (rest.startsWith(BRANCH)) return branchFindings(rest.slice(BRANCH.length), value, expected.branches);
  if (rest.startsWith(TAG)) return tagFindings(rest.slice(TAG.length), value, expected.tagPatterns);
  if (rest.startsWith(ENVIRONMENT))
    return environmentFindings(rest.slice(ENVIRONMENT.length), value, expected.environments);
  if (!hasWildcard(rest)) return [];
  return [
    pattern(
      value,
      "admits branches, tags or environments beyond the expected ones: name each subject exactly",
    ),
  ];
}

function branchFindings(
  branch: string,
  value: string,
  listed: readonly string[] | undefined,
): FindingDraft[] {
  const expected = listed ?? [];
  if (expected.includes(branch)) return [];
  if (hasWildcard(branch))
    return [
      pattern(
        value,
        `admits every branch matching "${branch}" (expected: ${list(expected)}): pushing such a branch escapes the protection of the expected ones`,
      ),
    ];
  return listed === undefined
    ? []
    : [extraRef(value, `is a branch beyond the expected ones (${list(expected)})`)];
}

function tagFindings(tag: string, value: string, expected: readonly string[] | undefined): FindingDraft[] {
  if (expected === undefined) return [];
  // A pattern whose text an expected pattern matches admits nothing more (`v1.*` within `v*`).
  if (expected.some((want) => matchesWildcard(want, tag, { question: false }))) return [];
  if (hasWildcard(tag))
    return [pattern(value, `admits tags matching "${tag}" beyond the expected patterns (${list(expected)})`)];
  return [extraRef(value, `is a tag beyond the expected patterns (${list(expected)})`)];
}

function environmentFindings(
  environment: string,
  value: string,
  listed: readonly string[] | undefined,
): FindingDraft[] {
  const expected = listed ?? [];
  if (expected.includes(environment)) return [];
  const why =
    "GitHub creates an environment the first time a workflow names it, so a job on any branch can obtain this subject";
  if (hasWildcard(environment))
    return [pattern(value, `admits every environment matching "${environment}": ${why}`)];
  if (listed === undefined) return [];
  return [
    {
      code: "extra-environment",
      severity: "error",
      value,
      message: `is an environment beyond the expected ones (${list(expected)}): ${why}`,
    },
  ];
}

function pattern(value: string, message: string): FindingDraft {
  return { code: "subject-pattern", severity: "error", value, message };
}

function extraRef(value: string, message: string): FindingDraft {
  return { code: "extra-ref", severity: "warning", value, message: `${message}: it can assume the role too` };
}

function list(values: readonly string[]): string {
  return values.length === 0 ? "none" : values.join(", ");
}
