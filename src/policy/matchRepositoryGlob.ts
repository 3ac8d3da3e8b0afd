/**
 * Matches a repository name against an anchored glob: `*` any characters within one path segment,
 * `?` one character, `**` any number of whole segments (at least one when it ends the pattern, as in
 * minimatch: `team/**` matches `team/api` and `team/a/b`, not `team`). Patterns are checked by
 * {@link checkRepositoryGlob} when a policy is parsed. Hand-written rather than node's
 * `path.matchesGlob`, which is experimental in Node 20 and absent before 20.17.
 * @example matchRepositoryGlob("payments/*", "payments/api") // true
 * @example matchRepositoryGlob("payments/*", "payments/api/worker") // false
 */
export function matchRepositoryGlob(pattern: string, repository: string): boolean {
  return matchSegments(pattern.split("/"), repository.split("/"));
}

function matchSegments(pattern: readonly string[], name: readonly string[]): boolean {
  const [head, ...rest] = pattern;
  if (head === undefined) return name.length === 0;
  if (head === "**") {
    const minimum = rest.length === 0 ? 1 : 0;
    for (let skip = minimum; skip <= name.length; skip++) {
      if (matchSegments(rest, name.slice(skip))) return true;
    }
    return false;
  }
  const [first, ...others] = name;
  return first !== undefined && segmentPattern(head).test(first) && matchSegments(rest, others);
}

function segmentPattern(segment: string): RegExp {
  const source = segment
    .split("")
    .map((char) =>
      char === "*" ? "[^/]*" : char === "?" ? "[^/]" : char.replace(/[.\\^$+{}()|[\]-]/g, "\\$&"),
    )
    .join("");
  return new RegExp(`^${source}$`);
}
