/** Business metrics (Powertools Metrics/EMF in Lambda, in memory locally). */
export interface MetricsSink {
  count(name: string, value?: number, dimensions?: Record<string, string>): void;
  duration(name: string, milliseconds: number, dimensions?: Record<string, string>): void;
}
