import { hasWildcard } from "../core/wildcard.ts";
import type { ReleaseIdentity } from "./ReleaseIdentity.ts";

/** The OIDC `sub` values a release identity admits: exact ones (StringEquals) and tag patterns (StringLike). */
export interface ReleaseSubjects {
  readonly exact: readonly string[];
  readonly patterns: readonly string[];
}

/**
 * The `sub` claims GitHub issues for an identity's pushes: `repo:O/R:ref:refs/heads/B`,
 * `repo:O/R:ref:refs/tags/T` and, for jobs that name an environment (its form then replaces the ref form),
 * `repo:O/R:environment:E`. Only tag patterns with `*` are patterns, and their wildcard sits after a fixed
 * `repo:O/R:ref:refs/tags/` prefix, so no other repository and no pull request can match.
 * @example githubSubjects({ owner: "o", repo: "r", branches: ["main"], tagPatterns: ["v*"], environments: [] })
 * // => { exact: ["repo:o/r:ref:refs/heads/main"], patterns: ["repo:o/r:ref:refs/tags/v*"] }
 */
export function githubSubjects(identity: ReleaseIdentity): ReleaseSubjects {
  const repo = `repo:${identity.owner}/${identity.repo}`;
  const tags = identity.tagPatterns.map((pattern) => ({ pattern, sub: `${repo}:ref:refs/tags/${pattern}` }));
  return {
    exact: [
      ...identity.branches.map((branch) => `${repo}:ref:refs/heads/${branch}`),
      ...tags.filter((tag) => !hasWildcard(tag.pattern)).map((tag) => tag.sub),
      ...identity.environments.map((environment) => `${repo}:environment:${environment}`),
    ],
    patterns: tags.filter((tag) => hasWildcard(tag.pattern)).map((tag) => tag.sub),
  };
}
