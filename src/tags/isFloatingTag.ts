import { isBuildTag } from "./buildTag.ts";
import { parseSemver } from "./parseSemver.ts";

/**
 * True for a promotion tag that moves from release to release: a branch tag (`main`), `latest`, a floating
 * version (`1.2`, `1`). False for the build tag (`sha-…`) and an exact version (`1.2.3`, `1.2.3-rc.1`,
 * `1.2.3_build.5`), which name one release for good. A rollback moves the floating tags by default.
 * @example ["1.2.3", "1.2", "1", "latest", "main"].filter(isFloatingTag) // => ["1.2", "1", "latest", "main"]
 */
export function isFloatingTag(tag: string): boolean {
  if (isBuildTag(tag)) return false;
  return parseSemver(tag.replace("_", "+")) === undefined;
}
