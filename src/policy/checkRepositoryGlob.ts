import { REPOSITORY_NAME_COMPONENT } from "../core/index.ts";

/** The longest glob accepted (a repository name is at most 256 characters). */
const MAX_GLOB = 256;
const CHARACTERS = /^[a-z0-9._\-/*?]+$/;

/**
 * Checks a repository glob and says what is wrong with it, or returns undefined when it is valid.
 * Grammar: `/`-separated segments of repository-name characters; `*` and `?` match within a segment;
 * `**` (a whole segment) matches across segments. A segment that no repository name can have (`.`, `..`,
 * `-app`) is refused: a glob that never matches would silently never apply its override or allowlist entry.
 * @example checkRepositoryGlob("payments/*") // undefined
 * @example checkRepositoryGlob("payments/**x") // "'**' must be a whole path segment, as in 'team/**'"
 */
export function checkRepositoryGlob(pattern: string): string | undefined {
  if (pattern.length === 0) return "must not be empty";
  if (pattern.length > MAX_GLOB) return `must be at most ${MAX_GLOB} characters`;
  if (!CHARACTERS.test(pattern))
    return "may contain only lowercase letters, digits, '.', '_', '-', '/' and the wildcards '*', '?', '**'";
  const segments = pattern.split("/");
  if (segments.some((segment) => segment === "")) return "must not start or end with '/' nor contain '//'";
  if (segments.some((segment) => segment.includes("**") && segment !== "**"))
    return "'**' must be a whole path segment, as in 'team/**'";
  const dotted = segments.find((segment) => segment === "." || segment === "..");
  if (dotted !== undefined)
    return `must not contain a '${dotted}' segment: repository names have none, so it would never match (globs are not paths)`;
  const impossible = segments.find(
    (segment) => !/[*?]/.test(segment) && !REPOSITORY_NAME_COMPONENT.test(segment),
  );
  if (impossible !== undefined)
    return `segment '${impossible}' can never match a repository name component ([a-z0-9] joined by '.', '_', '__' or '-')`;
  return undefined;
}
