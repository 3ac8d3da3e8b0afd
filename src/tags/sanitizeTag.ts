import { fail, type Result } from "../core/result.ts";
import { MAX_TAG_LENGTH, parseTagName } from "../core/tagName.ts";
import { isReservedTag } from "./isReservedTag.ts";
import { shortHash } from "./shortHash.ts";

const ALLOWED = /^[A-Za-z0-9_.-]$/;
const HASH_SUFFIX = 9; // "-" and 8 hex characters

/**
 * Turns a branch or tag name into an OCI tag: every character outside `[A-Za-z0-9_.-]` (`/`, spaces,
 * shell metacharacters, quotes, any non-ASCII code point) becomes `-`; runs of `-` or `.` collapse; leading
 * and trailing `-`/`.` go. Names longer than 128 characters keep a prefix plus a hash of the full name, so
 * two long names that share a prefix still get different tags. Refused when nothing usable is left, or when
 * the result would impersonate a reserved tag (`latest`, `sha-…`, a version).
 * @example sanitizeTag("feature/$(rm -rf /)") // => ok("feature-rm-rf")
 */
export function sanitizeTag(name: string, field = "ref"): Result<string> {
  const cleaned = clean(Array.from(name, (ch) => (ALLOWED.test(ch) ? ch : "-")).join(""));
  if (cleaned.length === 0) {
    return fail([
      { field, value: name, message: "has no characters usable in an image tag ([A-Za-z0-9_.-])" },
    ]);
  }
  const tag = cleaned.length <= MAX_TAG_LENGTH ? cleaned : truncate(cleaned, name);
  if (isReservedTag(tag)) {
    return fail([
      {
        field,
        value: name,
        message: `would produce the reserved tag "${tag}" (latest, build and version tags come only from releases)`,
      },
    ]);
  }
  return parseTagName(tag, field);
}

function clean(text: string): string {
  return text
    .replace(/-{2,}/g, "-")
    .replace(/\.{2,}/g, ".")
    .replace(/^[-.]+/, "")
    .replace(/[-.]+$/, "");
}

function truncate(cleaned: string, original: string): string {
  const prefix = clean(cleaned.slice(0, MAX_TAG_LENGTH - HASH_SUFFIX));
  return `${prefix}-${shortHash(original)}`;
}
