import type { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import type { Metrics } from "@aws-lambda-powertools/metrics";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import type { Tracer } from "@aws-lambda-powertools/tracer";
import { captureLambdaHandler } from "@aws-lambda-powertools/tracer/middleware";
import middy, { type MiddyfiedHandler } from "@middy/core";
import type { Context } from "aws-lambda";
import { correlationMiddleware } from "./correlationMiddleware.ts";
import { errorMiddleware } from "./errorMiddleware.ts";
import { logger, metrics, tracer } from "./powertools.ts";

/** The Powertools utilities a wrapped handler reports to (the container's singletons by default). */
export interface Observability {
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly tracer: Tracer;
}

/**
 * Wraps a handler made by a `createXHandler(deps)` factory, once, in Portcullis's middy stack: Lambda context
 * and correlation keys on every log line (reset after each invocation), an X-Ray segment, EMF metrics with a
 * cold-start metric flushed after each invocation, and one log line per failure (see errorMiddleware).
 * @example export const handler = lambdaHandler(createReplicateHandler(deps));
 */
export function lambdaHandler<E, R>(
  handle: (event: E) => Promise<R>,
  observability: Observability = { logger, metrics, tracer },
): MiddyfiedHandler<E, R, Error, Context> {
  const portcullisHandler = (event: E): Promise<R> => handle(event);
  return middy<E, R, Error, Context>(portcullisHandler)
    .use(injectLambdaContext(observability.logger, { resetKeys: true }))
    .use(captureLambdaHandler(observability.tracer, { captureResponse: false }))
    .use(logMetrics(observability.metrics, { captureColdStartMetric: true }))
    .use(correlationMiddleware({ logger: observability.logger }))
    .use(errorMiddleware(observability));
}
