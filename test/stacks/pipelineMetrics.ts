import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";

const ROOT = new URL("../..", import.meta.url).pathname;

/** Metric calls in the handlers' sources: `metrics.count("Name"…`, `metrics.duration("Name"…`, `addMetric("Name"…`. */
const METRIC_CALL = /(?:metrics\.(?:count|duration)|\.addMetric)\(\s*"([A-Za-z]+)"/g;

/**
 * The names of the metrics src/handlers and src/lambda emit (EMF, namespace Portcullis), read from their
 * sources, so a dashboard naming a metric nobody emits fails.
 */
export async function emittedMetricNames(): Promise<string[]> {
  const names = new Set<string>();
  for (const dir of ["src/handlers", "src/lambda"]) {
    const files = await readdir(join(ROOT, dir), { recursive: true });
    for (const file of files.filter((f) => f.endsWith(".ts"))) {
      const source = await readFile(join(ROOT, dir, file), "utf8");
      for (const [, name] of source.matchAll(METRIC_CALL)) names.add(name as string);
    }
  }
  return [...names].sort();
}
