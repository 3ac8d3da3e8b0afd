import { fail, ok, type Result } from "../core/result.ts";

const COMMIT = /^[0-9a-f]{40}$/;

/** Prefix of the immutable tag every build is pushed under. */
export const BUILD_TAG_PREFIX = "sha-";

/** True for a tag of the build-tag shape (`sha-` and lowercase hex), which promotion must never produce. */
export function isBuildTag(tag: string): boolean {
  return /^sha-[0-9a-f]{40}$/.test(tag);
}

/**
 * The immutable build tag of a commit: `sha-` and the full 40-character lowercase commit id.
 * Short or uppercase ids are refused rather than normalised: the tag must be the one the build pushed.
 * @example buildTag("0123456789abcdef0123456789abcdef01234567") // => ok("sha-0123…4567")
 */
export function buildTag(commit: string): Result<string> {
  if (typeof commit !== "string" || !COMMIT.test(commit)) {
    return fail([
      { field: "commit", value: commit, message: "must be a full 40-character lowercase hex commit id" },
    ]);
  }
  return ok(`${BUILD_TAG_PREFIX}${commit}`);
}
