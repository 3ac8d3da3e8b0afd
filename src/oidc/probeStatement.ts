import { hasWildcard } from "../core/wildcard.ts";
import { type ClaimContext, evaluateConditions } from "./evaluateConditions.ts";
import { AUD_KEY, STS_AUDIENCE, SUB_KEY } from "./githubOidc.ts";
import type { ReadStatement } from "./readTrustPolicy.ts";
import { subjectParts } from "./subjectParts.ts";
import type { TrustPolicyFinding } from "./TrustPolicyFinding.ts";

const PROBE = "portcullis-probe";

/**
 * Tries tokens a trust policy must refuse against a statement, evaluating its conditions as IAM would:
 * a pull request of the repository, a sibling repository of the same owner, a repository of another
 * owner, a token minted for another audience, a token without `sub`, and an arbitrary branch. Catches what
 * reading the text misses (`repo:org/*`, `StringLike` on `*:*`, negated operators, `…IfExists`).
 * @example probeStatement(statement, "octo-org/shop")
 */
export function probeStatement(
  statement: ReadStatement,
  repository: string | undefined,
): TrustPolicyFinding[] {
  const repo = repository ?? guessRepository(statement);
  const owner = repo.slice(0, repo.indexOf("/"));
  const admits = (claims: ClaimContext) => evaluateConditions(statement.conditions, claims);
  const token = (sub: string | undefined, aud = STS_AUDIENCE): ClaimContext => ({
    [AUD_KEY]: aud,
    [SUB_KEY]: sub,
  });
  const at = (
    finding: Omit<TrustPolicyFinding, "statement" | "severity">,
    severity: "error" | "warning" = "error",
  ) => ({ ...finding, severity, statement: statement.index }) satisfies TrustPolicyFinding;
  const findings: TrustPolicyFinding[] = [];
  const pullRequest = `repo:${repo}:pull_request`;
  if (admits(token(pullRequest)))
    findings.push(
      at({
        code: "admits-pull-requests",
        value: pullRequest,
        message: "is admitted: pull requests (from forks too) could assume the role",
      }),
    );
  const sibling = `repo:${owner}/${PROBE}:ref:refs/heads/main`;
  const stranger = `repo:${PROBE}/${PROBE}:ref:refs/heads/main`;
  if (admits(token(stranger)))
    findings.push(
      at({
        code: "any-repository",
        value: stranger,
        message: "is admitted: any repository on GitHub could assume the role",
      }),
    );
  else if (admits(token(sibling)))
    findings.push(
      at({
        code: "wildcard-repository",
        value: sibling,
        message: `is admitted: every repository of ${owner} could assume the role`,
      }),
    );
  if (admits(token(undefined)))
    findings.push(at({ code: "missing-sub", value: null, message: "admits a token without a sub claim" }));
  const someSubject = admittedSubject(statement, repo, admits);
  if (someSubject !== undefined && admits(token(someSubject, PROBE)))
    findings.push(
      at({
        code: "wrong-aud",
        value: PROBE,
        message: "is admitted: tokens minted for any audience are accepted",
      }),
    );
  const anyBranch = `repo:${repo}:ref:refs/heads/${PROBE}`;
  if (admits(token(anyBranch)))
    findings.push(
      at(
        {
          code: "any-branch",
          value: anyBranch,
          message: "is admitted: anyone who can push a branch can release",
        },
        "warning",
      ),
    );
  return findings;
}

/** The repository the statement is about, read from its literal subjects (`OWNER/portcullis-probe` if none). */
function guessRepository(statement: ReadStatement): string {
  const subjects = statement.conditions
    .filter((entry) => entry.key === SUB_KEY)
    .flatMap((entry) => entry.values);
  const parts = subjects.map(subjectParts).filter((p) => p !== undefined);
  const literal = parts.find((p) => !hasWildcard(p.repository));
  if (literal) return literal.repository;
  const owner = parts.map((p) => p.owner).find((o) => !hasWildcard(o));
  return `${owner ?? PROBE}/${PROBE}`;
}

/** A subject the statement admits (for probing the audience alone), if any comes to mind. */
function admittedSubject(
  statement: ReadStatement,
  repo: string,
  admits: (claims: ClaimContext) => boolean,
): string | undefined {
  const literal = statement.conditions
    .filter((entry) => entry.key === SUB_KEY)
    .flatMap((entry) => entry.values)
    .filter((value) => !hasWildcard(value));
  const candidates = [...literal, `repo:${repo}:ref:refs/heads/main`, `repo:${repo}:ref:refs/tags/v1.0.0`];
  return candidates.find((sub) => admits({ [AUD_KEY]: STS_AUDIENCE, [SUB_KEY]: sub }));
}
