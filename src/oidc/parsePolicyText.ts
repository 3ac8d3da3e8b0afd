import { type ParseError, parse, printParseErrorCode } from "jsonc-parser";
import { fail, ok, type Result } from "../core/result.ts";

/** Why a text is not JSON, and where (1-based line and column; absent when no position could be found). */
export interface JsonSyntaxError {
  readonly reason: string;
  readonly line?: number;
  readonly column?: number;
}

/**
 * Parses a trust policy's text: JSON, or the URL-encoded JSON the IAM API returns. On a syntax error, says
 * where the text stops being JSON (strict JSON: no comments, no trailing commas).
 * @example parsePolicyText('{"Statement": [}') // => { ok: false, error: { reason: 'value expected: "}"', line: 1, column: 16 } }
 */
export function parsePolicyText(text: string): Result<unknown, JsonSyntaxError> {
  const encoded = /^\s*%7B/i.test(text);
  const source = encoded ? safeDecode(text) : text;
  try {
    return ok(JSON.parse(source));
  } catch (error) {
    return fail(locate(source, error instanceof Error ? error.message : String(error)));
  }
}

function locate(text: string, fallback: string): JsonSyntaxError {
  const errors: ParseError[] = [];
  parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (first === undefined) return { reason: fallback };
  const before = text.slice(0, first.offset).split("\n");
  const found = text.slice(first.offset, first.offset + Math.max(first.length, 1));
  const what = printParseErrorCode(first.error)
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .toLowerCase();
  return {
    reason: found ? `${what}: ${JSON.stringify(found)}` : `${what}: the text ends`,
    line: before.length,
    column: (before.at(-1)?.length ?? 0) + 1,
  };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
