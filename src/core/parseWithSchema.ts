import type { z } from "zod";
import { fail, ok, type Result, type ValidationIssue } from "./result.ts";

/**
 * Validates `input` with a zod schema and returns house-style issues: a dotted field path
 * (`allowlist[2].expires`), the refused value, and a "must be …" message. An unknown key becomes one
 * issue per key, named in the field path. Schema-level `error` messages and custom issues win over
 * the house messages.
 * @example parseWithSchema(z.strictObject({ a: z.number() }), { a: "1" })
 * // => { ok: false, error: [{ field: "a", value: "1", message: "must be a number, not a string" }] }
 */
export function parseWithSchema<S extends z.ZodType>(
  schema: S,
  input: unknown,
  fieldPrefix = "",
): Result<z.output<S>> {
  const parsed = schema.safeParse(input, { reportInput: true, error: houseMessage });
  if (parsed.success) return ok(parsed.data);
  return fail(parsed.error.issues.flatMap((issue) => toIssues(issue, fieldPrefix)));
}

/** Joins a field prefix and a path into `a.b[2].c`. */
export function fieldPath(prefix: string, path: readonly PropertyKey[]): string {
  let field = prefix;
  for (const key of path) {
    if (typeof key === "number") field += `[${key}]`;
    else field += field === "" ? String(key) : `.${String(key)}`;
  }
  return field;
}

function toIssues(issue: z.core.$ZodIssue, prefix: string): ValidationIssue[] {
  if (issue.code === "unrecognized_keys") {
    const object = isRecord(issue.input) ? issue.input : {};
    return issue.keys.map((key) => ({
      field: fieldPath(prefix, [...issue.path, key]),
      value: object[key],
      message: issue.message,
    }));
  }
  return [{ field: fieldPath(prefix, issue.path), value: issue.input, message: issue.message }];
}

function houseMessage(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case "invalid_type":
      return invalidType(issue.expected, issue.input);
    case "invalid_value":
      if (issue.input === undefined) return "is required";
      return issue.values.length === 1
        ? `must be ${show(issue.values[0])}`
        : `must be one of ${issue.values.map(show).join(", ")}`;
    case "too_small":
      return bound("at least", "more than", issue.origin, issue.minimum, issue.inclusive);
    case "too_big":
      return bound("at most", "less than", issue.origin, issue.maximum, issue.inclusive);
    case "unrecognized_keys":
      return "is not a known field";
    case "invalid_format":
      return issue.format === "regex"
        ? `must match ${String(issue.pattern)}`
        : `must be a valid ${issue.format}`;
    case "not_multiple_of":
      return `must be a multiple of ${String(issue.divisor)}`;
    case "invalid_union":
      return "does not match any accepted form";
    default:
      return undefined;
  }
}

function invalidType(expected: string, input: unknown): string {
  if (input === undefined) return "is required";
  if (typeof input === "number" && !Number.isFinite(input)) return notFinite(input, expected);
  if (expected === "int" && typeof input === "number") return "must be a whole number";
  const wanted = expected === "int" ? "a whole number" : withArticle(expected);
  return `must be ${wanted}, not ${withArticle(kindOf(input))}`;
}

/** YAML's `.inf`/`.nan` and JSON's `1e400` parse to Infinity/NaN, which no schema field accepts. */
function notFinite(input: number, expected: string): string {
  const wanted = expected === "int" ? "a whole number" : "a finite number";
  return Number.isNaN(input)
    ? `must be ${wanted} (YAML's .nan reads as NaN)`
    : `must be ${wanted} (YAML's .inf, or a number as large as 1e400, reads as ${input})`;
}

function bound(
  inclusiveWord: string,
  exclusiveWord: string,
  origin: string,
  limit: unknown,
  inclusive?: boolean,
) {
  const word = inclusive === false ? exclusiveWord : inclusiveWord;
  if (origin === "string")
    return limit === 1 && word === "at least"
      ? "must not be empty"
      : `must be ${word} ${String(limit)} characters`;
  if (origin === "array" || origin === "set") return `must have ${word} ${String(limit)} items`;
  return `must be ${word} ${String(limit)}`;
}

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (value instanceof Date) return "date";
  return typeof value;
}

function withArticle(word: string): string {
  if (word === "null" || word === "undefined") return word;
  return /^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`;
}

function show(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
