import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { Tracer } from "@aws-lambda-powertools/tracer";

/** The service every Portcullis log line, metric and trace carries (the stack may set POWERTOOLS_SERVICE_NAME). */
export const serviceName = process.env.POWERTOOLS_SERVICE_NAME || "portcullis";

/** The CloudWatch namespace of Portcullis's metrics (EMF). */
export const METRICS_NAMESPACE = "Portcullis";

/**
 * The one Logger of the container: JSON lines with `service`; the middleware adds the Lambda context and, per
 * event, the correlation keys (repository, digest, commit). Never pass it secrets.
 */
export const logger = new Logger({ serviceName });

/** The one Metrics of the container: EMF in namespace Portcullis, flushed after each invocation. */
export const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName });

/** The one Tracer of the container: X-Ray segments per invocation; wrap SDK clients with `traced`. */
export const tracer = new Tracer({ serviceName });

/**
 * Traces an AWS SDK v3 client's calls as X-Ray subsegments (a no-op outside Lambda or with tracing off).
 * @example const ecr = regionalClients((region) => traced(new ECRClient({ region })));
 */
export function traced<T>(client: T): T {
  return tracer.captureAWSv3Client(client);
}
