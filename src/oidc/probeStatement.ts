import { hasWildcard } from "../core/wildcard.ts";
import { type ClaimContext, evaluateConditions } from "./evaluateConditions.ts";
import { AUD_KEY, STS_AUDIENCE, SUB_KEY } from "./githubOidc.ts";
import type { ReadStatement } from "./readTrustPolicy.ts";
import { subjectParts } from "./subjectParts.ts";
import type { TrustPolicyFinding, TrustPolicyFindingCode } from "./TrustPolicyFinding.ts";

const PROBE = "portcullis-probe";

/** What a probe knows about the statement: the repository it is for, and the subject tails it names. */
interface ProbeContext {
  /** `OWNER/REPO`. */
  readonly repo: string;
  readonly owner: string;
  readonly name: string;
  /** Tails (`ref:refs/heads/main`…) to try strangers' repositories with: the statement's own and usual ones. */
  readonly rests: readonly string[];
  /** A subject the statement admits, if any comes to mind (to probe the audience alone). */
  readonly admitted: () => string | undefined;
}

/** One token a trust policy must refuse: the subjects to try, what it means when one is admitted. */
interface Probe {
  readonly code: TrustPolicyFindingCode;
  readonly severity: "error" | "warning";
  readonly subjects: (ctx: ProbeContext) => readonly (string | undefined)[];
  readonly audience?: string;
  readonly message: (ctx: ProbeContext) => string;
  /** Not reported when one of these was: it says the same more broadly. */
  readonly unless?: readonly TrustPolicyFindingCode[];
}

/** Strangers' repositories: the same name under other accounts, siblings of the same account. */
const strangers = {
  anyone: () => [`${PROBE}/${PROBE}`],
  sameName: (ctx: ProbeContext) => variants(ctx.owner).map((owner) => `${owner}/${ctx.name}`),
  siblings: (ctx: ProbeContext) => variants(ctx.name).map((name) => `${ctx.owner}/${name}`),
};

const PROBES: readonly Probe[] = [
  {
    code: "admits-pull-requests",
    severity: "error",
    subjects: (ctx) => [`repo:${ctx.repo}:pull_request`],
    message: () => "is admitted: pull requests (from forks too) could assume the role",
  },
  {
    code: "any-repository",
    severity: "error",
    subjects: (ctx) => withRests(strangers.anyone(), ctx),
    message: () => "is admitted: any repository on GitHub could assume the role",
  },
  {
    code: "other-owner",
    severity: "error",
    subjects: (ctx) => withRests(strangers.sameName(ctx), ctx),
    message: (ctx) => `is admitted: a repository named ${ctx.name} in another account could assume the role`,
    unless: ["any-repository"],
  },
  {
    code: "wildcard-repository",
    severity: "error",
    subjects: (ctx) => withRests(strangers.siblings(ctx), ctx),
    message: (ctx) => `is admitted: every repository of ${ctx.owner} could assume the role`,
    unless: ["any-repository"],
  },
  {
    code: "missing-sub",
    severity: "error",
    subjects: () => [undefined],
    message: () => "admits a token without a sub claim",
  },
  {
    code: "wrong-aud",
    severity: "error",
    subjects: (ctx) => [ctx.admitted()].filter((sub) => sub !== undefined),
    audience: PROBE,
    message: () => "is admitted: tokens minted for any audience are accepted",
  },
  {
    code: "any-branch",
    severity: "warning",
    subjects: (ctx) => [`repo:${ctx.repo}:ref:refs/heads/${PROBE}`],
    message: () => "is admitted: anyone who can push a branch can release",
  },
];

/**
 * Tries tokens a trust policy must refuse against a statement, evaluating its conditions as IAM would
 * (see {@link PROBES}): a pull request of the repository, a repository of anyone, repositories with the same
 * name in other accounts and siblings in the same account (prefix, suffix and one-letter variants of both
 * names), a token without `sub`, one minted for another audience, and an arbitrary branch. Catches what
 * reading the text misses (`repo:org/*`, `StringLike` on `*:*`, negated operators, `…IfExists`).
 * @example probeStatement(statement, "octo-org/shop")
 */
export function probeStatement(
  statement: ReadStatement,
  repository: string | undefined,
): TrustPolicyFinding[] {
  const admits = (sub: string | undefined, aud = STS_AUDIENCE) =>
    evaluateConditions(statement.conditions, { [AUD_KEY]: aud, [SUB_KEY]: sub } satisfies ClaimContext);
  const ctx = probeContext(statement, repository ?? guessRepository(statement), admits);
  const findings: TrustPolicyFinding[] = [];
  for (const probe of PROBES) {
    if (probe.unless?.some((code) => findings.some((f) => f.code === code))) continue;
    const subjects = probe.subjects(ctx);
    const hit = subjects.findIndex((sub) => admits(sub, probe.audience));
    if (hit === -1) continue;
    findings.push({
      code: probe.code,
      severity: probe.severity,
      statement: statement.index,
      value: probe.audience ?? subjects[hit] ?? null,
      message: probe.message(ctx),
    });
  }
  return findings;
}

function probeContext(
  statement: ReadStatement,
  repo: string,
  admits: (sub: string | undefined) => boolean,
): ProbeContext {
  const slash = repo.indexOf("/");
  const rests = subjectsOf(statement)
    .map((sub) => subjectParts(sub)?.rest)
    .filter((rest) => rest !== undefined)
    .map((rest) => rest.replaceAll("*", "main").replaceAll("?", "x"));
  const usual = ["ref:refs/heads/main", "ref:refs/tags/v1.0.0"];
  return {
    repo,
    owner: repo.slice(0, slash),
    name: repo.slice(slash + 1),
    rests: [...new Set([...rests, ...usual])],
    admitted: () => {
      const literal = subjectsOf(statement).filter((sub) => !hasWildcard(sub));
      const candidates = [...literal, ...usual.map((rest) => `repo:${repo}:${rest}`)];
      return candidates.find((sub) => admits(sub));
    },
  };
}

/** Every `repo:…` subject of a list of repositories, with each of the context's tails. */
function withRests(repositories: readonly string[], ctx: ProbeContext): string[] {
  return repositories.flatMap((repository) => ctx.rests.map((rest) => `repo:${repository}:${rest}`));
}

/** Names a wildcard next to `name` would also match: other, prefixed, suffixed, last letter changed or added. */
function variants(name: string): string[] {
  const last = name.at(-1) === "x" ? "y" : "x";
  return [PROBE, `${name}-${PROBE}`, `${PROBE}-${name}`, `${name.slice(0, -1)}${last}`, `${name}1`];
}

function subjectsOf(statement: ReadStatement): string[] {
  return statement.conditions.filter((entry) => entry.key === SUB_KEY).flatMap((entry) => entry.values);
}

/** The repository the statement is about, read from its literal subjects (`portcullis-probe` for a part not found). */
function guessRepository(statement: ReadStatement): string {
  const parts = subjectsOf(statement)
    .map(subjectParts)
    .filter((p) => p !== undefined);
  const literal = parts.find((p) => !hasWildcard(p.repository));
  if (literal) return literal.repository;
  const owner = parts.map((p) => p.owner).find((o) => !hasWildcard(o));
  const name = parts.map((p) => p.repository.slice(p.owner.length + 1)).find((n) => !hasWildcard(n));
  return `${owner ?? PROBE}/${name ?? PROBE}`;
}
