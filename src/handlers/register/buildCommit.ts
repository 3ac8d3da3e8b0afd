import { BUILD_TAG_PREFIX, isBuildTag } from "../../tags/index.ts";

/**
 * The commit a build tag names (`sha-<40 lowercase hex>`), or undefined for any other tag or none.
 * @example buildCommit("sha-0123…4567") // => "0123…4567"; buildCommit("latest") // => undefined
 */
export function buildCommit(tag: string | undefined): string | undefined {
  return tag !== undefined && isBuildTag(tag) ? tag.slice(BUILD_TAG_PREFIX.length) : undefined;
}
