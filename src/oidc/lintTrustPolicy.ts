import { fail, ok, type Result } from "../core/result.ts";
import { evaluateConditions } from "./evaluateConditions.ts";
import { ASSUME_ACTION, AUD_KEY, STS_AUDIENCE, SUB_KEY } from "./githubOidc.ts";
import { githubSubjects } from "./githubSubjects.ts";
import { lintStatement } from "./lintStatement.ts";
import { probeStatement } from "./probeStatement.ts";
import { type ReadStatement, readTrustPolicy } from "./readTrustPolicy.ts";
import type { TrustExpectations } from "./TrustExpectations.ts";
import type { TrustPolicyFinding } from "./TrustPolicyFinding.ts";

/**
 * Lints a role trust policy for GitHub Actions OIDC: the mistakes behind most reports against
 * configure-aws-credentials (missing `aud`, wildcards admitting forks and pull requests, `repo:org/*`, case
 * mismatches, `*` under StringEquals, a wildcard in `OWNER/REPO`, principals other than GitHub's provider)
 * plus, when the expected repository is given, whether each expected branch, tag pattern and environment is
 * admitted and whether anything beyond them is (lists not given then count as empty). Returns the findings,
 * errors first; fails only when `document` is not a policy at all.
 * @example
 * const linted = lintTrustPolicy(JSON.parse(text), { repository: "octo-org/shop", branches: ["main"] });
 * if (linted.ok && linted.value.some((f) => f.severity === "error")) process.exitCode = 1;
 */
export function lintTrustPolicy(
  document: unknown,
  expectations: TrustExpectations = {},
): Result<TrustPolicyFinding[]> {
  const expected = withDefaults(expectations);
  const read = readTrustPolicy(document);
  if (!read.ok) return fail(read.error);
  const github = read.value.filter(isGithubAllow);
  const findings: TrustPolicyFinding[] = [...principalFindings(read.value)];
  if (github.length === 0)
    findings.push({
      code: "no-github-statement",
      severity: "error",
      message: `no Allow statement lets the ${"token.actions.githubusercontent.com"} provider call ${ASSUME_ACTION}`,
    });
  for (const statement of github)
    findings.push(
      ...dedupe([...lintStatement(statement, expected), ...probeStatement(statement, expected.repository)]),
    );
  findings.push(...coverage(read.value, expected));
  return ok(findings.sort((a, b) => rank(a) - rank(b)));
}

function isGithubAllow(statement: ReadStatement): boolean {
  return statement.effect === "Allow" && statement.github && statement.actions.some(allowsAssume);
}

function allowsAssume(action: string): boolean {
  const lower = action.toLowerCase();
  return lower === ASSUME_ACTION.toLowerCase() || lower === "sts:*" || lower === "*";
}

/** With a repository expected, what is not listed is not expected: `--repo o/r --branch main` admits no tag. */
function withDefaults(expected: TrustExpectations): TrustExpectations {
  if (expected.repository === undefined) return expected;
  return { branches: [], tagPatterns: [], environments: [], ...definedOnly(expected) };
}

function definedOnly(expected: TrustExpectations): TrustExpectations {
  return Object.fromEntries(Object.entries(expected).filter(([, value]) => value !== undefined));
}

function principalFindings(statements: readonly ReadStatement[]): TrustPolicyFinding[] {
  const allowed = statements.filter((s) => s.effect === "Allow");
  return [
    ...allowed
      .filter((s) => s.anyPrincipal)
      .map((s) => ({
        code: "wildcard-principal" as const,
        severity: "error" as const,
        statement: s.index,
        value: "*",
        message: "lets any principal assume the role",
      })),
    ...allowed.flatMap((s) => s.otherPrincipals.map((principal) => otherPrincipal(s, principal))),
  ];
}

/** A release role trusts GitHub's provider only: another provider or account is another way in. */
function otherPrincipal(statement: ReadStatement, principal: string): TrustPolicyFinding {
  const unconditioned = statement.conditions.length === 0 ? " with no conditions at all" : "";
  const who = principal.startsWith("Federated:")
    ? "tokens of another identity provider"
    : "a principal other than GitHub Actions";
  return {
    code: "other-principal",
    severity: "error",
    statement: statement.index,
    value: principal,
    message: `lets ${who} assume the release role${unconditioned}`,
  };
}

/** Findings about one subject each, which the probes never repeat: one per value, not one per statement. */
const PER_VALUE = new Set<TrustPolicyFinding["code"]>([
  "case-mismatch",
  "literal-wildcard",
  "repository-pattern",
  "subject-pattern",
  "extra-ref",
  "extra-environment",
]);

/** One finding per problem and statement: the text and the probes often see the same one. */
function dedupe(findings: readonly TrustPolicyFinding[]): TrustPolicyFinding[] {
  const seen = new Set<string>();
  const noAud = findings.some((f) => f.code === "missing-aud");
  return findings.filter((f) => {
    if (noAud && f.code === "wrong-aud") return false;
    const key = `${f.code}#${f.statement}#${PER_VALUE.has(f.code) ? String(f.value) : ""}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Whether every expected subject (branch, tag, environment) can assume the role. */
function coverage(statements: readonly ReadStatement[], expected: TrustExpectations): TrustPolicyFinding[] {
  const [owner, repo] = (expected.repository ?? "").split("/");
  if (!owner || !repo) return [];
  const identity = {
    owner,
    repo,
    branches: expected.branches ?? [],
    tagPatterns: expected.tagPatterns ?? [],
    environments: expected.environments ?? [],
  };
  const { exact, patterns } = githubSubjects(identity);
  const samples = [...exact, ...patterns.map((pattern) => pattern.replaceAll("*", "1.0.0"))];
  return samples
    .filter((sub) => !policyAdmits(statements, sub))
    .map((sub) => ({
      code: "not-admitted",
      severity: "error",
      value: sub,
      message:
        "cannot assume the role: no statement admits this subject (check its spelling, case and ref form)",
    }));
}

function policyAdmits(statements: readonly ReadStatement[], sub: string): boolean {
  const claims = { [AUD_KEY]: STS_AUDIENCE, [SUB_KEY]: sub };
  const matches = (s: ReadStatement) => s.github && evaluateConditions(s.conditions, claims);
  const denied = statements.some((s) => s.effect === "Deny" && matches(s));
  return !denied && statements.some((s) => isGithubAllow(s) && matches(s));
}

function rank(finding: TrustPolicyFinding): number {
  return (finding.severity === "error" ? 0 : 1000) + (finding.statement ?? 999);
}
