import { fail, ok, type Result } from "../core/result.ts";
import type { GitMetadata } from "./Candidate.ts";

const REVISION = /^[0-9a-f]{40}$/;
const MAX_VALUE = 2048;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Validates one git metadata value: a string of at most 2048 characters without control characters; the
 * revision must be a full 40-hex commit id (returned lowercase).
 * @example checkGitField("revision", "ABC…", "git.revision") // => ok("abc…") when 40 hex
 */
export function checkGitField(name: keyof GitMetadata, value: unknown, field: string): Result<string> {
  if (typeof value !== "string") return fail([{ field, value, message: "must be a string" }]);
  if (value.length > MAX_VALUE)
    return fail([{ field, value, message: `must be at most ${MAX_VALUE} characters` }]);
  if (CONTROL.test(value)) return fail([{ field, value, message: "must not contain control characters" }]);
  if (name !== "revision") return ok(value);
  const revision = value.toLowerCase();
  if (!REVISION.test(revision))
    return fail([{ field, value, message: "must be a full 40-character hex commit id" }]);
  return ok(revision);
}
