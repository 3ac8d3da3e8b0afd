import type { Log } from "../../core/index.ts";
import { GitHubRateLimitError } from "./errors.ts";
import { toGitHubError } from "./toGitHubError.ts";

/** Settings of {@link rateLimitHook}. */
export interface RateLimitHookOptions {
  readonly maxWaitSeconds: number;
  readonly retries: number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly now: () => Date;
  readonly log?: Log;
}

/**
 * An Octokit `request` wrap hook: a rate-limited response (403/429 with retry-after, an exhausted quota,
 * or a secondary-limit message) is retried after the wait GitHub asked for, when that wait is at most
 * `maxWaitSeconds`; otherwise, or after `retries` attempts, it fails with {@link GitHubRateLimitError}
 * carrying the wait, so the caller (the Lambda's retry) can come back later. Other errors pass through.
 */
export function rateLimitHook(options: RateLimitHookOptions) {
  return async function waitOutRateLimits<O, R>(
    request: (o: O) => R | Promise<R>,
    requestOptions: O,
  ): Promise<R> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await request(requestOptions);
      } catch (error) {
        const failure = toGitHubError(error, options.now());
        if (!(failure instanceof GitHubRateLimitError)) throw error;
        if (attempt >= options.retries || failure.retryAfterSeconds > options.maxWaitSeconds) throw failure;
        options.log?.warn("github rate limit: waiting before retrying", {
          route: failure.route,
          status: failure.status,
          retryAfterSeconds: failure.retryAfterSeconds,
          attempt: attempt + 1,
        });
        await options.sleep(failure.retryAfterSeconds * 1000);
      }
    }
  };
}
