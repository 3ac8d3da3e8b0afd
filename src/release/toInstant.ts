import { fail, ok, type Result } from "../core/result.ts";

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Normalises a time to an ISO 8601 UTC string (`2026-01-02T03:04:05.000Z`), so stored times compare as
 * strings. Refuses invalid dates, naming the field.
 * @example toInstant(new Date(0), "now") // => ok("1970-01-01T00:00:00.000Z")
 */
export function toInstant(value: unknown, field: string): Result<string> {
  const date =
    value instanceof Date
      ? value
      : typeof value === "string" && ISO.test(value)
        ? new Date(value)
        : undefined;
  if (date === undefined || Number.isNaN(date.getTime())) {
    return fail([{ field, value, message: "must be a valid date (a Date or an ISO 8601 string)" }]);
  }
  return ok(date.toISOString());
}
