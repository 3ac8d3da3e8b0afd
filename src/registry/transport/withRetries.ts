import { AsyncLocalStorage } from "node:async_hooks";
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

/** The retries one operation may still spend, shared by every retry loop nested inside it. */
interface RetryBudget {
  readonly options: RetryOptions;
  readonly started: number;
  readonly onRetry: RetryHooks["onRetry"];
  retries: number;
}

const currentBudget = new AsyncLocalStorage<RetryBudget>();

/**
 * Runs `attempt` until it succeeds, fails with an error that is not retryable, or the operation's
 * retry budget is spent. Every failure is a {@link RegistryError}; `isRetryable()` decides.
 *
 * One budget per operation: a `withRetries` called inside another (a transport request inside a blob
 * copy) spends the outer one's budget instead of starting its own, so a dead registry costs
 * `retries + 1` attempts, not (retries + 1)². The outermost loop says how many attempts it made and
 * how long it took when it gives up.
 * @example await withRetries(() => client.blobExists("app", digest), retryDefaults)
 */
export async function withRetries<T>(
  attempt: (n: number) => Promise<T>,
  options: RetryOptions = retryDefaults,
  hooks: RetryHooks = {},
): Promise<T> {
  const outer = currentBudget.getStore();
  const budget = outer ?? { options, started: performance.now(), onRetry: hooks.onRetry, retries: 0 };
  for (let n = 0; ; n++) {
    try {
      return await currentBudget.run(budget, () => attempt(n));
    } catch (thrown) {
      const error = thrown instanceof RegistryError ? thrown : registryErrorFrom(thrown, "request failed");
      const delay = retryDelay(error, budget.retries, budget.options, hooks.random);
      if (delay === undefined) throw outer || !error.isRetryable() ? error : gaveUp(error, budget);
      budget.retries++;
      hooks.onRetry?.(error, budget.retries, delay);
      if (budget.onRetry !== hooks.onRetry) budget.onRetry?.(error, budget.retries, delay);
      await (hooks.sleep ?? sleep)(delay);
    }
  }
}

function gaveUp(error: RegistryError, budget: RetryBudget): RegistryError {
  const seconds = ((performance.now() - budget.started) / 1000).toFixed(1);
  return error.withNote(`gave up after ${budget.retries + 1} attempts in ${seconds} s`);
}

function retryDelay(
  error: RegistryError,
  retries: number,
  options: RetryOptions,
  random?: () => number,
): number | undefined {
  if (!error.isRetryable() || retries >= options.retries) return undefined;
  if (error.retryAfterMs !== undefined && error.retryAfterMs > options.maxRetryAfterMs) return undefined;
  return backoffDelay(retries, options, random, error.retryAfterMs);
}
