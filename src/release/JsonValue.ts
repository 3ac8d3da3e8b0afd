/** A value that survives `JSON.parse(JSON.stringify(value))` unchanged (and a DynamoDB document write). */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue };

const MAX_DEPTH = 32;

/**
 * True when `value` is plain JSON: finite numbers, strings, booleans, null, arrays and plain objects with no
 * `undefined` members (JSON would silently drop them, so the stored state would differ from the computed one).
 * @example isJsonValue({ blocked: [{ id: "CVE-2024-1", severity: "HIGH" }] }) // => true
 */
export function isJsonValue(value: unknown, depth = 0): value is JsonValue {
  if (depth > MAX_DEPTH) return false;
  if (value === null || typeof value === "string" || typeof value === "boolean") return true;
  if (typeof value === "number") return Number.isFinite(value);
  if (Array.isArray(value)) return value.every((item) => isJsonValue(item, depth + 1));
  if (typeof value !== "object") return false;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  return Object.values(value).every((item) => isJsonValue(item, depth + 1));
}
