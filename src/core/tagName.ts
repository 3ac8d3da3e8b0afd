import { fail, ok, type Result } from "./result.ts";

/** The OCI tag grammar: `[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}`. */
export const TAG_PATTERN = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;
export const MAX_TAG_LENGTH = 128;

/** Validates an image tag against the OCI grammar, naming the field on failure. */
export function parseTagName(value: unknown, field = "tag"): Result<string> {
  if (typeof value !== "string") return fail([{ field, value, message: "must be a string" }]);
  if (value.length === 0) return fail([{ field, value, message: "must not be empty" }]);
  if (value.length > MAX_TAG_LENGTH)
    return fail([{ field, value, message: `must be at most ${MAX_TAG_LENGTH} characters` }]);
  if (!TAG_PATTERN.test(value))
    return fail([
      {
        field,
        value,
        message: "must match [a-zA-Z0-9_][a-zA-Z0-9._-]* (no leading '.' or '-', no '/', ':' or spaces)",
      },
    ]);
  return ok(value);
}
