import { appendFileSync } from "node:fs";
import type { Log } from "../../core/index.ts";

type Level = "debug" | "info" | "warn" | "error";

/** A logged line, as {@link FileLog} writes it and hands it to its listener. */
export interface LogLine {
  readonly time: string;
  readonly level: Level;
  /** Which handler (or part of the pipeline) logged it. */
  readonly source: string;
  readonly message: string;
  readonly [field: string]: unknown;
}

/**
 * {@link Log} writing JSON lines to a file (the terminal shows the progress view instead), like the
 * Powertools Logger does to CloudWatch. `child(source)` tags a handler's lines.
 * @example const log = new FileLog(".portcullis/logs/pipeline.log").child("gate"); log.info("decided", { outcome })
 */
export class FileLog implements Log {
  constructor(
    readonly file: string,
    private readonly source = "pipeline",
    private readonly listener?: (line: LogLine) => void,
  ) {}

  /** The same file, lines tagged with another source. */
  child(source: string): FileLog {
    return new FileLog(this.file, source, this.listener);
  }

  debug(message: string, fields?: Record<string, unknown>): void {
    this.#write("debug", message, fields);
  }

  info(message: string, fields?: Record<string, unknown>): void {
    this.#write("info", message, fields);
  }

  warn(message: string, fields?: Record<string, unknown>): void {
    this.#write("warn", message, fields);
  }

  error(message: string, fields?: Record<string, unknown>): void {
    this.#write("error", message, fields);
  }

  #write(level: Level, message: string, fields?: Record<string, unknown>): void {
    const line: LogLine = { ...fields, time: new Date().toISOString(), level, source: this.source, message };
    appendFileSync(this.file, `${JSON.stringify(line, errorsAsText)}\n`);
    this.listener?.(line);
  }
}

function errorsAsText(_key: string, value: unknown): unknown {
  return value instanceof Error ? `${value.name}: ${value.message}` : value;
}
