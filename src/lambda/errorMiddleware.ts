import type { Logger } from "@aws-lambda-powertools/logger";
import { type Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import type { MiddlewareObj, Request } from "@middy/core";
import { ValidationError } from "../core/index.ts";

/** Options of {@link errorMiddleware}. */
export interface ErrorMiddlewareOptions {
  readonly logger: Logger;
  readonly metrics: Metrics;
}

/**
 * Logs a failed invocation once, then rethrows it.
 *
 * A {@link ValidationError} (a refused event) is logged with every issue as data, `retryable: false`, and
 * counted as `InvalidEvents`; anything else is logged as `retryable: true` and counted as `HandlerErrors`.
 * Both are rethrown, on purpose: EventBridge and SNS invoke Lambda asynchronously, and only a failed
 * invocation reaches the function's on-failure destination / dead-letter queue with the event and the error
 * message (which, for a ValidationError, lists every issue). Returning normally would drop a refused event
 * silently. Lambda's async retries re-run a refusal at no risk — validation happens before any side effect
 * and gives the same answer — so the stacks may keep `retryAttempts` for the transient failures' sake.
 * @example middy(handler).use(errorMiddleware({ logger, metrics }))
 */
export function errorMiddleware(options: ErrorMiddlewareOptions): MiddlewareObj {
  const errorMiddlewareOnError = (request: Request): void => {
    const { error } = request;
    if (error instanceof ValidationError) {
      options.logger.error("event refused", {
        retryable: false,
        error: error.name,
        issues: error.issues.map(issueLine),
      });
      options.metrics.addMetric("InvalidEvents", MetricUnit.Count, 1);
      return;
    }
    options.logger.error("invocation failed", { retryable: true, error: error ?? undefined });
    options.metrics.addMetric("HandlerErrors", MetricUnit.Count, 1);
  };
  return { onError: errorMiddlewareOnError };
}

/** One issue as plain data; values are shortened so a huge event does not make a huge log line. */
function issueLine(issue: ValidationError["issues"][number]) {
  const value = typeof issue.value === "string" ? issue.value : JSON.stringify(issue.value ?? null);
  return {
    field: issue.field,
    value: value.length > 200 ? `${value.slice(0, 200)}…` : value,
    message: issue.message,
  };
}
