import type { EventPattern, PatternMatcher } from "./EventPattern.ts";
import { PatternError } from "./errors.ts";
import { wildcardPattern } from "./wildcardPattern.ts";

/**
 * Whether an event matches an EventBridge pattern — a pure implementation of the subset Portcullis
 * uses, so the local bus routes exactly as the deployed rules do:
 * - every pattern field must match (AND); a leaf is an array of matchers, any of which may match (OR);
 * - exact values compare type and value (`"5"` ≠ `5`, `null` matches only null, `""` only "");
 * - an event array matches when any element does; objects inside arrays are matched element by element
 *   (EventBridge's array consistency: two fields never match from different elements);
 * - a field missing from the event matches only `{ "exists": false }`; `exists` looks at leaves only, so
 *   an object or an empty array counts as absent;
 * - `prefix`, `suffix`, `equals-ignore-case`, `wildcard` match strings only; `numeric` numbers only;
 * - `anything-but` (values, or a prefix/suffix/wildcard/equals-ignore-case form) needs the field present;
 * - `$or` with two or more sub-patterns matches when any does.
 * Unsupported operators (e.g. `cidr`) throw {@link PatternError}, never silently fail to match.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
 * @example matchesPattern({ source: ["aws.ecr"], detail: { "image-tag": [{ prefix: "sha-" }] } }, event)
 */
export function matchesPattern(pattern: EventPattern, event: unknown): boolean {
  return matchObject(pattern, event, "");
}

type Json = string | number | boolean | null;

function matchObject(pattern: EventPattern, value: unknown, path: string): boolean {
  if (Array.isArray(value) && value.length > 0)
    return value.some((element) => matchObject(pattern, element, path));
  const node = isRecord(value) ? value : undefined;
  return Object.entries(pattern).every(([key, sub]) => matchField(key, sub, node, path));
}

function matchField(
  key: string,
  sub: EventPattern[string],
  node: Record<string, unknown> | undefined,
  path: string,
) {
  const field = path === "" ? key : `${path}.${key}`;
  if (key === "$or" && isOrList(sub)) return sub.some((alternative) => matchObject(alternative, node, path));
  const value = node?.[key];
  if (Array.isArray(sub)) return matchLeaf(sub as readonly PatternMatcher[], value, field);
  if (isRecord(sub)) return matchObject(sub as EventPattern, value, field);
  throw new PatternError(field, "must be an array of matchers or a nested pattern object");
}

function matchLeaf(matchers: readonly PatternMatcher[], value: unknown, field: string): boolean {
  if (matchers.length === 0) throw new PatternError(field, "must list at least one matcher");
  const values = leafValues(value);
  return matchers.some((matcher) => {
    if (isRecord(matcher) && "exists" in matcher) return existsMatches(matcher.exists, values, field);
    return values.some((v) => matchValue(matcher, v, field));
  });
}

function existsMatches(exists: unknown, values: readonly Json[], field: string): boolean {
  if (typeof exists !== "boolean") throw new PatternError(field, "exists must be true or false");
  return exists === values.length > 0;
}

function matchValue(matcher: PatternMatcher, value: Json, field: string): boolean {
  if (matcher === null || typeof matcher !== "object") return value === matcher;
  const [operator, ...extra] = Object.keys(matcher);
  if (operator === undefined || extra.length > 0)
    throw new PatternError(
      field,
      `a matcher object must hold exactly one operator, not ${JSON.stringify(matcher)}`,
    );
  const operand: unknown = (matcher as Record<string, unknown>)[operator];
  switch (operator) {
    case "prefix":
      return stringOperand(operand, value, field, (v, p) => v.startsWith(p));
    case "suffix":
      return stringOperand(operand, value, field, (v, s) => v.endsWith(s));
    case "equals-ignore-case":
      return typeof value === "string" && fold(value) === fold(requireString(operand, field));
    case "wildcard":
      return typeof value === "string" && wildcardPattern(requireString(operand, field), field).test(value);
    case "numeric":
      return typeof value === "number" && numericMatches(operand, value, field);
    case "anything-but":
      return anythingBut(operand, value, field);
    default:
      throw new PatternError(
        field,
        `operator ${JSON.stringify(operator)} is not supported by matchesPattern`,
      );
  }
}

function stringOperand(
  operand: unknown,
  value: Json,
  field: string,
  test: (v: string, o: string) => boolean,
) {
  if (typeof value !== "string") return false;
  if (typeof operand === "string") return test(value, operand);
  if (isRecord(operand) && typeof operand["equals-ignore-case"] === "string")
    return test(fold(value), fold(operand["equals-ignore-case"]));
  throw new PatternError(
    field,
    `expected a string or { "equals-ignore-case": string }, not ${JSON.stringify(operand)}`,
  );
}

function anythingBut(operand: unknown, value: Json, field: string): boolean {
  if (typeof operand === "string" || typeof operand === "number") return value !== operand;
  if (Array.isArray(operand)) return !operand.includes(value);
  if (!isRecord(operand))
    throw new PatternError(field, `anything-but cannot take ${JSON.stringify(operand)}`);
  if (typeof value !== "string") return false;
  const [operator] = Object.keys(operand);
  const listed = [operand[operator ?? ""]].flat().map((o) => requireString(o, field));
  const excluded = (test: (o: string) => boolean) => !listed.some(test);
  if (operator === "prefix") return excluded((o) => value.startsWith(o));
  if (operator === "suffix") return excluded((o) => value.endsWith(o));
  if (operator === "wildcard") return excluded((o) => wildcardPattern(o, field).test(value));
  if (operator === "equals-ignore-case") return excluded((o) => fold(o) === fold(value));
  throw new PatternError(field, `anything-but cannot take ${JSON.stringify(operand)}`);
}

const COMPARE: Record<string, (a: number, b: number) => boolean> = {
  "=": (a, b) => a === b,
  "<": (a, b) => a < b,
  "<=": (a, b) => a <= b,
  ">": (a, b) => a > b,
  ">=": (a, b) => a >= b,
};

function numericMatches(operand: unknown, value: number, field: string): boolean {
  if (!Array.isArray(operand) || operand.length === 0 || operand.length % 2 !== 0)
    throw new PatternError(field, `numeric needs [operator, number, …], not ${JSON.stringify(operand)}`);
  for (let i = 0; i < operand.length; i += 2) {
    const compare = COMPARE[String(operand[i])];
    const limit = operand[i + 1];
    if (!compare || typeof limit !== "number")
      throw new PatternError(field, `numeric needs [operator, number, …], not ${JSON.stringify(operand)}`);
    if (!compare(value, limit)) return false;
  }
  return true;
}

/** The leaf values of an event field: scalars, arrays flattened; objects are not leaves. */
function leafValues(value: unknown): Json[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value.flatMap(leafValues);
  if (isRecord(value)) return [];
  return [value as Json];
}

const OPERATORS = new Set([
  "prefix",
  "suffix",
  "equals-ignore-case",
  "wildcard",
  "exists",
  "numeric",
  "anything-but",
  "cidr",
]);

/** `$or` is an operator only with two or more sub-patterns that use no operator names as fields. */
function isOrList(sub: unknown): sub is readonly EventPattern[] {
  return (
    Array.isArray(sub) &&
    sub.length >= 2 &&
    sub.every(
      (alternative) => isRecord(alternative) && Object.keys(alternative).every((k) => !OPERATORS.has(k)),
    )
  );
}

function requireString(operand: unknown, field: string): string {
  if (typeof operand !== "string")
    throw new PatternError(field, `expected a string, not ${JSON.stringify(operand)}`);
  return operand;
}

function fold(text: string): string {
  return text.toLowerCase();
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
