/** The parts of a response that say whether it is a rate limit and how long to wait. */
export interface RateLimitSignal {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | number | undefined>>;
  readonly message?: string;
}

/** GitHub asks for at least a minute when a secondary limit comes without `retry-after`. */
const SECONDARY_DEFAULT_SECONDS = 60;

/**
 * Seconds to wait before retrying, when the response is a rate limit (403 or 429): `retry-after` first,
 * then `x-ratelimit-remaining: 0` until `x-ratelimit-reset`, then a secondary-limit message (one minute).
 * Undefined when it is not a rate limit (a 403 is then a permission problem).
 * https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#handle-rate-limit-errors-appropriately
 * @example rateLimitWait({ status: 403, headers: { "retry-after": "30" } }, now) // => 30
 */
export function rateLimitWait(signal: RateLimitSignal, now: Date): number | undefined {
  if (signal.status !== 403 && signal.status !== 429) return undefined;
  const retryAfter = Number(signal.headers["retry-after"]);
  if (signal.headers["retry-after"] !== undefined && Number.isFinite(retryAfter) && retryAfter >= 0)
    return Math.ceil(retryAfter);
  if (String(signal.headers["x-ratelimit-remaining"]) === "0") {
    const reset = Number(signal.headers["x-ratelimit-reset"]);
    if (Number.isFinite(reset)) return Math.max(1, Math.ceil(reset - now.getTime() / 1000));
  }
  if (signal.status === 429 || /secondary rate limit|abuse detection/i.test(signal.message ?? ""))
    return SECONDARY_DEFAULT_SECONDS;
  return undefined;
}
