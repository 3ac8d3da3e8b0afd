import type { Digest } from "../../core/digest.ts";

/**
 * The referrers tag schema's tag for a subject: `sha256-<hex>` (algorithm, `-`, encoded part; a sha256
 * digest needs no truncation or character replacement).
 * https://github.com/opencontainers/distribution-spec/blob/main/spec.md#referrers-tag-schema
 * @example referrersTag("sha256:" + "a".repeat(64)) // "sha256-aaaa…"
 */
export function referrersTag(subject: Digest): string {
  return subject.replace(":", "-");
}
