/**
 * Matches `value` against a wildcard pattern the way IAM's StringLike and ECR's tag filters do: `*` is any
 * run of characters (also empty, also `/` and `:`), `?` exactly one character (IAM only; ECR filters have no
 * `?`, so pass `{ question: false }` for them); everything else is literal and case-sensitive.
 * @example matchesWildcard("repo:octo/app:ref:refs/tags/v*", "repo:octo/app:ref:refs/tags/v1.2.3") // => true
 */
export function matchesWildcard(
  pattern: string,
  value: string,
  options: { question?: boolean } = {},
): boolean {
  const question = options.question ?? true;
  let source = "";
  for (const ch of pattern) {
    if (ch === "*") source += "[\\s\\S]*";
    else if (ch === "?" && question) source += "[\\s\\S]";
    else source += ch.replace(/[\\^$.|?+()[\]{}*]/g, "\\$&");
  }
  return new RegExp(`^${source}$`, "u").test(value);
}

/** True when a pattern contains a wildcard character (`*`, or `?` unless disabled). */
export function hasWildcard(pattern: string, options: { question?: boolean } = {}): boolean {
  return pattern.includes("*") || ((options.question ?? true) && pattern.includes("?"));
}
