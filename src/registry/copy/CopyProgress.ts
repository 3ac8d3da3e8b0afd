/** Where a copy stands; passed to `onProgress` whenever it changes. */
export interface CopyProgress {
  readonly phase: "reading" | "blobs" | "manifests" | "done";
  /** Distinct blobs the copy needs at the target. */
  readonly blobsTotal: number;
  readonly blobsCopied: number;
  readonly blobsMounted: number;
  /** Blobs the target already had (or under a manifest it already had). */
  readonly blobsSkipped: number;
  /** Size of every blob in {@link blobsTotal}. */
  readonly bytesTotal: number;
  /** Bytes sent so far (a retried blob's partial bytes are taken back). */
  readonly bytesSent: number;
  /** Bytes accounted for: sent, mounted or skipped (for a progress bar against {@link bytesTotal}). */
  readonly bytesDone: number;
  readonly manifestsPushed: number;
  /** Child manifests the target already had: their blobs were not even checked. */
  readonly manifestsSkipped: number;
  /** Attempts retried after a retryable failure. */
  readonly retries: number;
}

type Counter = Exclude<keyof CopyProgress, "phase">;

/** Counts a copy's progress and reports each change (a copy to each listener; counting alone allocates nothing). */
export class ProgressTracker {
  readonly #state: { -readonly [K in keyof CopyProgress]: CopyProgress[K] } = {
    phase: "reading",
    blobsTotal: 0,
    blobsCopied: 0,
    blobsMounted: 0,
    blobsSkipped: 0,
    bytesTotal: 0,
    bytesSent: 0,
    bytesDone: 0,
    manifestsPushed: 0,
    manifestsSkipped: 0,
    retries: 0,
  };

  constructor(private readonly onProgress?: (progress: CopyProgress) => void) {}

  /** The current counters. */
  get snapshot(): CopyProgress {
    return { ...this.#state };
  }

  /** Adds to counters (negative numbers take back) and reports. */
  add(delta: Partial<Record<Counter, number>>): void {
    for (const key in delta) this.#state[key as Counter] += delta[key as Counter] ?? 0;
    this.onProgress?.(this.snapshot);
  }

  /** Moves to another phase and reports. */
  phase(phase: CopyProgress["phase"]): void {
    this.#state.phase = phase;
    this.onProgress?.(this.snapshot);
  }
}
