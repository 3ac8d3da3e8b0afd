import type { Logger } from "@aws-lambda-powertools/logger";
import { type Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import type { Log, MetricsSink } from "../core/index.ts";

/**
 * The handlers' {@link Log} port on a Powertools Logger: fields become top-level JSON keys beside the
 * correlation keys.
 * @example createReplicateHandler({ …, log: powertoolsLog(logger) })
 */
export function powertoolsLog(logger: Logger): Log {
  return {
    debug: (message, fields) => logger.debug(message, fields ?? {}),
    info: (message, fields) => logger.info(message, fields ?? {}),
    warn: (message, fields) => logger.warn(message, fields ?? {}),
    error: (message, fields) => logger.error(message, fields ?? {}),
  };
}

type Unit = Parameters<Metrics["addMetric"]>[1];

/**
 * The handlers' {@link MetricsSink} port on Powertools Metrics. Metrics without dimensions are buffered and
 * flushed after the invocation; a metric with its own dimensions goes out at once as a single metric (EMF
 * allows one dimension set per document).
 * @example metricsSink(metrics).count("RegionsReplicated", 1, { region: "eu-west-1" })
 */
export function powertoolsMetrics(metrics: Metrics): MetricsSink {
  function add(name: string, unit: Unit, value: number, dimensions?: Record<string, string>): void {
    if (dimensions === undefined || Object.keys(dimensions).length === 0) {
      metrics.addMetric(name, unit, value);
      return;
    }
    const single = metrics.singleMetric();
    single.addDimensions(dimensions);
    single.addMetric(name, unit, value);
  }
  return {
    count: (name, value = 1, dimensions) => add(name, MetricUnit.Count, value, dimensions),
    duration: (name, milliseconds, dimensions) =>
      add(name, MetricUnit.Milliseconds, milliseconds, dimensions),
  };
}
