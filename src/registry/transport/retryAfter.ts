/**
 * Reads a Retry-After header (delay-seconds or an HTTP date) as milliseconds from `now`.
 * https://www.rfc-editor.org/rfc/rfc9110#name-retry-after
 * @example parseRetryAfter("2") // 2000
 */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
