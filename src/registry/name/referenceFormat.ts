import type { Reference } from "./reference.ts";

/**
 * Renders a reference back to `registry/repository[:tag][@digest]`.
 * @example formatReference({ registry: "127.0.0.1:5000", repository: "app", tag: "1.0" }) // "127.0.0.1:5000/app:1.0"
 */
export function formatReference(ref: Reference): string {
  const tag = ref.tag === undefined ? "" : `:${ref.tag}`;
  const digest = ref.digest === undefined ? "" : `@${ref.digest}`;
  return `${ref.registry}/${ref.repository}${tag}${digest}`;
}

/** The manifest reference to fetch: the digest when pinned, else the tag, else `latest`. */
export function manifestReference(ref: Reference): string {
  return ref.digest ?? ref.tag ?? "latest";
}
