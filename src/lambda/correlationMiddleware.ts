import type { Logger } from "@aws-lambda-powertools/logger";
import type { MiddlewareObj, Request } from "@middy/core";
import { correlationKeys } from "./correlationKeys.ts";

/** Options of {@link correlationMiddleware}. */
export interface CorrelationMiddlewareOptions {
  readonly logger: Logger;
}

/**
 * Appends the event's correlation keys (repository, digest, commit, event id, detail-type) to every log line
 * of the invocation. Use after injectLambdaContext with `resetKeys: true`, which removes them afterwards.
 * @example middy(handler).use(injectLambdaContext(logger, { resetKeys: true })).use(correlationMiddleware({ logger }))
 */
export function correlationMiddleware(options: CorrelationMiddlewareOptions): MiddlewareObj {
  const correlationMiddlewareBefore = (request: Request): void => {
    options.logger.appendKeys({ ...correlationKeys(request.event) });
  };
  return { before: correlationMiddlewareBefore };
}
