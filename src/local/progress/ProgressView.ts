/** Where a stage is. */
export type StageStatus = "pending" | "running" | "done" | "failed" | "skipped";

/** One line of the progress view. */
export interface Stage {
  readonly id: string;
  readonly label: string;
  status: StageStatus;
  detail: string;
  startedAt?: number;
  endedAt?: number;
}

/** Options for {@link ProgressView}. */
export interface ProgressViewOptions {
  readonly write: (text: string) => void;
  /** Redraw lines in place (a terminal); otherwise one line per finished stage. */
  readonly tty: boolean;
  /** Redraw interval of the running timers on a terminal. */
  readonly tickMs?: number;
  /** Terminal width: redrawn lines are cut to it (a wrapped line would break the redraw). */
  readonly columns?: number;
  /** For tests. */
  readonly now?: () => number;
}

const SYMBOL: Record<StageStatus, string> = {
  pending: "·",
  running: "›",
  done: "✓",
  failed: "✗",
  skipped: "–",
};

/**
 * The live view of the pipeline's stages with timings. On a terminal the stage lines are redrawn in place
 * (running ones with a ticking timer); elsewhere (CI logs, pipes) each stage prints one line when it
 * finishes, fails or is skipped.
 * @example
 * const view = new ProgressView({ write: (t) => process.stdout.write(t), tty: process.stdout.isTTY });
 * view.start("build", "build linux/amd64 + linux/arm64"); … view.done("build", "sha256:…");
 */
export class ProgressView {
  readonly #stages: Stage[] = [];
  readonly #options: Required<Omit<ProgressViewOptions, "tickMs" | "columns">> & {
    tickMs: number;
    columns?: number;
  };
  #drawn = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: ProgressViewOptions) {
    this.#options = { tickMs: 200, now: () => performance.now(), ...options };
  }

  /** Stages in order of first mention. */
  get stages(): readonly Readonly<Stage>[] {
    return this.#stages;
  }

  /** Adds a stage (shown as pending on a terminal) unless it exists. */
  add(id: string, label: string): void {
    if (this.#find(id)) return;
    this.#stages.push({ id, label, status: "pending", detail: "" });
    this.#redraw();
  }

  /** Marks a stage running (adding it if needed); a running stage only gets its detail updated. */
  start(id: string, label: string, detail = ""): void {
    this.add(id, label);
    const stage = this.#get(id);
    if (stage.status !== "running") {
      stage.status = "running";
      stage.startedAt = this.#options.now();
      stage.endedAt = undefined;
    }
    stage.detail = detail;
    this.#redraw();
    this.#tick();
  }

  /** Updates a stage's detail without changing its status. */
  note(id: string, detail: string): void {
    const stage = this.#find(id);
    if (!stage) return;
    stage.detail = detail;
    this.#redraw();
  }

  done(id: string, detail?: string): void {
    this.#end(id, "done", detail);
  }

  failed(id: string, detail: string): void {
    this.#end(id, "failed", detail);
  }

  skipped(id: string, detail: string): void {
    this.#end(id, "skipped", detail);
  }

  /** Stops the timer; on a terminal leaves the final lines drawn. Stages still running are shown as such. */
  close(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#redraw();
    this.#drawn = 0;
  }

  /** A stage's duration in milliseconds (so far, if running). */
  elapsed(stage: Readonly<Stage>): number | undefined {
    if (stage.startedAt === undefined) return undefined;
    return (stage.endedAt ?? this.#options.now()) - stage.startedAt;
  }

  /** One rendered line, e.g. `✓ gate       passed              0.4s`. */
  line(stage: Readonly<Stage>): string {
    const ms = this.elapsed(stage);
    const time = ms === undefined ? "" : formatDuration(ms);
    const detail = stage.detail ? `  ${stage.detail}` : "";
    return `${SYMBOL[stage.status]} ${stage.label.padEnd(30)} ${time.padStart(7)}${detail}`;
  }

  #end(id: string, status: StageStatus, detail?: string): void {
    const stage = this.#find(id);
    if (!stage) return;
    stage.status = status;
    if (stage.startedAt === undefined) stage.startedAt = this.#options.now();
    stage.endedAt = this.#options.now();
    if (detail !== undefined) stage.detail = detail;
    if (this.#options.tty) this.#redraw();
    else this.#options.write(`${this.line(stage)}\n`);
    if (!this.#stages.some((s) => s.status === "running") && this.#timer) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }

  #tick(): void {
    if (!this.#options.tty || this.#timer) return;
    this.#timer = setInterval(() => this.#redraw(), this.#options.tickMs);
    this.#timer.unref();
  }

  #redraw(): void {
    if (!this.#options.tty) return;
    const up = this.#drawn > 0 ? `\x1b[${this.#drawn}A` : "";
    const width = this.#options.columns ?? 120;
    const lines = this.#stages.map((stage) => `\r\x1b[2K${cut(this.line(stage), width - 1)}`);
    this.#options.write(`${up}${lines.join("\n")}\n`);
    this.#drawn = this.#stages.length;
  }

  #find(id: string): Stage | undefined {
    return this.#stages.find((stage) => stage.id === id);
  }

  #get(id: string): Stage {
    const stage = this.#find(id);
    if (!stage) throw new RangeError(`no stage ${id}`);
    return stage;
  }
}

/** `850ms`, `3.2s`, `1m05s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, "0")}s`;
}

function cut(text: string, width: number): string {
  const chars = [...text];
  return chars.length <= width ? text : `${chars.slice(0, width - 1).join("")}…`;
}
