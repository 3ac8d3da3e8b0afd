import { setTimeout as sleep } from "node:timers/promises";
import { RegistryError, registryErrorFrom } from "../errors.ts";

/** How often and how patiently to retry. */
export interface RetryOptions {
  /** Retries after the first attempt (0 disables retrying). */
  readonly retries: number;
  /** The first backoff ceiling; doubles each attempt ("full jitter" picks uniformly below it). */
  readonly baseDelayMs: number;
  /** The largest backoff ceiling. */
  readonly maxDelayMs: number;
  /** The longest Retry-After honoured; a registry asking for more fails the attempt instead of stalling. */
  readonly maxRetryAfterMs: number;
}

/** Retry defaults: 5 retries, 200 ms doubling up to 10 s, Retry-After honoured up to 60 s. */
export const retryDefaults: RetryOptions = {
  retries: 5,
  baseDelayMs: 200,
  maxDelayMs: 10_000,
  maxRetryAfterMs: 60_000,
};

/** Hooks for tests and logging. */
export interface RetryHooks {
  readonly onRetry?: (error: RegistryError, attempt: number, delayMs: number) => void;
  readonly random?: () => number;
  readonly sleep?: (ms: number) => Promise<unknown>;
}

/**
 * The wait before retry number `attempt` (0-based): exponential backoff with full jitter, never less
 * than the registry's Retry-After. https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
 */
export function backoffDelay(
  attempt: number,
  options: RetryOptions,
  random = Math.random,
  retryAfterMs?: number,
): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** attempt);
  const jittered = Math.floor(random() * ceiling);
  return retryAfterMs === undefined ? jittered : Math.max(jittered, retryAfterMs);
}

/**
 * Runs `attempt` until it succeeds, fails with an error that is not retryable, or runs out of retries.
 * Every failure is a {@link RegistryError}; `isRetryable()` decides.
 * @example await withRetries(() => client.blobExists("app", digest), retryDefaults)
 */
export async function withRetries<T>(
  attempt: (n: number) => Promise<T>,
  options: RetryOptions = retryDefaults,
  hooks: RetryHooks = {},
): Promise<T> {
  for (let n = 0; ; n++) {
    try {
      return await attempt(n);
    } catch (thrown) {
      const error = thrown instanceof RegistryError ? thrown : registryErrorFrom(thrown, "request failed");
      const delay = retryDelay(error, n, options, hooks.random);
      if (delay === undefined) throw error;
      hooks.onRetry?.(error, n + 1, delay);
      await (hooks.sleep ?? sleep)(delay);
    }
  }
}

function retryDelay(
  error: RegistryError,
  n: number,
  options: RetryOptions,
  random?: () => number,
): number | undefined {
  if (!error.isRetryable() || n >= options.retries) return undefined;
  if (error.retryAfterMs !== undefined && error.retryAfterMs > options.maxRetryAfterMs) return undefined;
  return backoffDelay(n, options, random, error.retryAfterMs);
}
