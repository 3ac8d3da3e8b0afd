import { parseSemver } from "./parseSemver.ts";

const BUILD_LIKE = /^sha-[0-9a-f]+$/;
const VERSION_LIKE = /^\d+(?:\.\d+){0,2}$/;

/**
 * True for tags only release versions and builds may produce: `latest`, build tags (`sha-…`), and
 * version shapes (`1`, `1.2`, `1.2.3`, `1.2.3-rc.1`). A branch named `latest` or `1.2` must not move them;
 * `v1.2` is not reserved, since version tags are written without the `v`.
 * @example isReservedTag("latest") // => true
 */
export function isReservedTag(tag: string): boolean {
  const lower = tag.toLowerCase();
  if (lower === "latest") return true;
  if (BUILD_LIKE.test(lower)) return true;
  if (VERSION_LIKE.test(lower)) return true;
  // `1.2.3_build.5` is how a version with build metadata is tagged (see versionTags).
  return !lower.startsWith("v") && parseSemver(tag.replace("_", "+")) !== undefined;
}
