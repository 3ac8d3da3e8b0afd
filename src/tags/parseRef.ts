import { fail, ok, type Result } from "../core/result.ts";

/** A git ref Portcullis builds from: a branch or a tag, by its short name. */
export interface GitRef {
  readonly kind: "branch" | "tag";
  /** The name after `refs/heads/` or `refs/tags/`, exactly as received. */
  readonly name: string;
}

const PREFIXES = [
  ["refs/heads/", "branch"],
  ["refs/tags/", "tag"],
] as const;

/** Control characters never occur in a real git ref (git check-ref-format refuses them). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Splits a full git ref into its kind and name. Only branches and tags are accepted: pull-request,
 * note and remote refs are refused, and so are bare names (`main` could be a branch or a tag).
 * @example parseRef("refs/heads/feature/login") // => ok({ kind: "branch", name: "feature/login" })
 */
export function parseRef(ref: unknown, field = "ref"): Result<GitRef> {
  if (typeof ref !== "string") return fail([{ field, value: ref, message: "must be a string" }]);
  if (CONTROL.test(ref)) {
    return fail([{ field, value: ref, message: "must not contain control characters (no git ref does)" }]);
  }
  for (const [prefix, kind] of PREFIXES) {
    if (!ref.startsWith(prefix)) continue;
    const name = ref.slice(prefix.length);
    if (name.length === 0) return fail([{ field, value: ref, message: `has an empty ${kind} name` }]);
    return ok({ kind, name });
  }
  return fail([{ field, value: ref, message: describeOther(ref) }]);
}

function describeOther(ref: string): string {
  if (ref.startsWith("refs/pull/"))
    return "is a pull-request ref: only refs/heads/* and refs/tags/* are promoted";
  if (ref.startsWith("refs/"))
    return "is not a branch or tag ref: only refs/heads/* and refs/tags/* are promoted";
  return "must be a full ref, refs/heads/<branch> or refs/tags/<tag> (a bare name is ambiguous)";
}
