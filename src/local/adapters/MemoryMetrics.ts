import type { MetricsSink } from "../../core/index.ts";

/** One recorded metric. */
export interface MetricPoint {
  readonly name: string;
  readonly kind: "count" | "duration";
  readonly value: number;
  readonly dimensions?: Record<string, string>;
}

/**
 * {@link MetricsSink} that keeps every point in memory (EMF's place locally): the summary and the tests
 * read them.
 * @example const metrics = new MemoryMetrics(); … metrics.total("Promotions")
 */
export class MemoryMetrics implements MetricsSink {
  readonly points: MetricPoint[] = [];

  count(name: string, value = 1, dimensions?: Record<string, string>): void {
    this.points.push({ name, kind: "count", value, ...(dimensions && { dimensions }) });
  }

  duration(name: string, milliseconds: number, dimensions?: Record<string, string>): void {
    this.points.push({ name, kind: "duration", value: milliseconds, ...(dimensions && { dimensions }) });
  }

  /** The sum of a metric's values. */
  total(name: string): number {
    return this.points.filter((p) => p.name === name).reduce((sum, p) => sum + p.value, 0);
  }
}
