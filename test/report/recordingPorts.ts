import { randomUUID } from "node:crypto";
import type { Clock, Log, MetricsSink } from "../../src/core/index.ts";
import { createReleaseStore, createTable } from "../../src/store/index.ts";
import type { DynaliteHandle } from "../support/startDynalite.ts";

/** A log line as a handler wrote it. */
export interface LogLine {
  readonly level: "debug" | "info" | "warn" | "error";
  readonly message: string;
  readonly fields?: Record<string, unknown>;
}

/** A {@link Log} that keeps every line, and everything it printed as one string (to look for secrets in). */
export function recordingLog(): Log & { readonly lines: LogLine[]; text(): string } {
  const lines: LogLine[] = [];
  const at = (level: LogLine["level"]) => (message: string, fields?: Record<string, unknown>) =>
    void lines.push({ level, message, ...(fields && { fields }) });
  return {
    lines,
    text: () => lines.map((l) => `${l.level} ${l.message} ${JSON.stringify(l.fields ?? {})}`).join("\n"),
    debug: at("debug"),
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
  };
}

/** A {@link MetricsSink} that sums counts by name. */
export function recordingMetrics(): MetricsSink & { readonly counts: Map<string, number> } {
  const counts = new Map<string, number>();
  return {
    counts,
    count: (name, value = 1) => void counts.set(name, (counts.get(name) ?? 0) + value),
    duration: () => undefined,
  };
}

/** A clock that reads the real time (claims' leases compare with it). */
export const realClock: Clock = { now: () => new Date() };

/** A fresh state table in dynalite and the release store on it. */
export async function freshStore(dynalite: DynaliteHandle) {
  const tableName = `report-${randomUUID()}`;
  await createTable(dynalite.client, tableName);
  return createReleaseStore({ client: dynalite.client, tableName });
}
