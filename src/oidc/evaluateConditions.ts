import { matchesWildcard } from "../core/wildcard.ts";
import type { ConditionEntry } from "./conditionEntries.ts";
import { GITHUB_OIDC_HOST } from "./githubOidc.ts";

/** A request context for the OIDC claims IAM evaluates: lowercased condition key → value (absent: missing). */
export type ClaimContext = Readonly<Record<string, string | undefined>>;

const COMPARE: Record<string, (pattern: string, actual: string) => boolean> = {
  StringEquals: (p, a) => p === a,
  StringEqualsIgnoreCase: (p, a) => p.toLowerCase() === a.toLowerCase(),
  StringLike: (p, a) => matchesWildcard(p, a),
};
const NEGATED: Record<string, string> = {
  StringNotEquals: "StringEquals",
  StringNotEqualsIgnoreCase: "StringEqualsIgnoreCase",
  StringNotLike: "StringLike",
};

/**
 * Evaluates a statement's conditions the way IAM would for a GitHub token with the given claims: every
 * entry must hold. Keys outside the GitHub issuer (aws:SourceIp…) are assumed to hold, so a verdict of
 * "admitted" is what the GitHub claims alone allow. Per IAM: a missing key fails positive operators and
 * satisfies negated ones, `…IfExists` and `ForAllValues:`.
 * @example evaluateConditions(entries, { "token.actions.githubusercontent.com:sub": "repo:o/r:pull_request" })
 */
export function evaluateConditions(entries: readonly ConditionEntry[], claims: ClaimContext): boolean {
  return entries.every((entry) => holds(entry, claims));
}

function holds(entry: ConditionEntry, claims: ClaimContext): boolean {
  if (!entry.key.startsWith(`${GITHUB_OIDC_HOST}:`)) return true;
  const actual = claims[entry.key];
  if (entry.base === "Null") return entry.values.some((v) => (v === "true") === (actual === undefined));
  if (actual === undefined)
    return entry.ifExists || entry.qualifier === "ForAllValues" || entry.base in NEGATED;
  const negatedOf = NEGATED[entry.base];
  if (negatedOf !== undefined) return !entry.values.some((v) => COMPARE[negatedOf]?.(v, actual));
  const compare = COMPARE[entry.base];
  return compare !== undefined && entry.values.some((v) => compare(v, actual));
}
