import type { Clock, Log, MetricsSink } from "../../../src/core/index.ts";
import type { PortcullisEvent } from "../../../src/events/index.ts";
import type { EventPublisher, Notification, NotificationPublisher } from "../../../src/handlers/index.ts";

/** A clock the test moves. */
export class TestClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current);
  }
  /** Moves the clock forward. */
  advance(minutes: number): Date {
    this.current = new Date(this.current.getTime() + minutes * 60_000);
    return this.now();
  }
}

/** Records what it publishes; `failNext(type)` makes the next publish of that detail-type throw. */
export class RecordingBus implements EventPublisher {
  readonly published: PortcullisEvent[] = [];
  #failing = new Set<string>();

  async publish(events: readonly PortcullisEvent[]): Promise<void> {
    for (const event of events) {
      if (this.#failing.delete(event["detail-type"]))
        throw new Error(`bus unavailable for ${event["detail-type"]}`);
    }
    this.published.push(...events);
  }

  failNext(detailType: string): void {
    this.#failing.add(detailType);
  }

  /** Published events of one detail-type. */
  of(detailType: string): PortcullisEvent[] {
    return this.published.filter((event) => event["detail-type"] === detailType);
  }
}

/** Records notifications. */
export class RecordingNotifications implements NotificationPublisher {
  readonly sent: Notification[] = [];
  async publish(notification: Notification): Promise<void> {
    this.sent.push(notification);
  }
}

/** One captured log line. */
export interface LogLine {
  readonly level: string;
  readonly message: string;
  readonly fields: Record<string, unknown>;
}

/** Captures log lines. */
export class RecordingLog implements Log {
  readonly lines: LogLine[] = [];
  debug(message: string, fields: Record<string, unknown> = {}) {
    this.lines.push({ level: "debug", message, fields });
  }
  info(message: string, fields: Record<string, unknown> = {}) {
    this.lines.push({ level: "info", message, fields });
  }
  warn(message: string, fields: Record<string, unknown> = {}) {
    this.lines.push({ level: "warn", message, fields });
  }
  error(message: string, fields: Record<string, unknown> = {}) {
    this.lines.push({ level: "error", message, fields });
  }
}

/** One captured metric. */
export interface MetricPoint {
  readonly name: string;
  readonly value: number;
  readonly dimensions: Record<string, string>;
}

/** Captures metrics. */
export class RecordingMetrics implements MetricsSink {
  readonly points: MetricPoint[] = [];
  count(name: string, value = 1, dimensions: Record<string, string> = {}) {
    this.points.push({ name, value, dimensions });
  }
  duration(name: string, milliseconds: number, dimensions: Record<string, string> = {}) {
    this.points.push({ name, value: milliseconds, dimensions });
  }
  /** The sum of a metric's values, optionally for one dimension value. */
  total(name: string, dimensions: Record<string, string> = {}): number {
    return this.points
      .filter((p) => p.name === name && Object.entries(dimensions).every(([k, v]) => p.dimensions[k] === v))
      .reduce((sum, p) => sum + p.value, 0);
  }
}
