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

/** Counts a copy's progress and reports each change. */
export class ProgressTracker {
  #state: CopyProgress = {
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

  constructor(private readonly onProgress: (progress: CopyProgress) => void = () => undefined) {}

  /** The current counters. */
  get snapshot(): CopyProgress {
    return this.#state;
  }

  /** Adds to counters (negative numbers take back) and reports. */
  add(delta: Partial<Omit<CopyProgress, "phase">>): void {
    const next: Record<string, number | string> = { ...this.#state };
    for (const [key, value] of Object.entries(delta)) next[key] = (next[key] as number) + (value as number);
    this.#state = next as unknown as CopyProgress;
    this.onProgress(this.#state);
  }

  /** Moves to another phase and reports. */
  phase(phase: CopyProgress["phase"]): void {
    this.#state = { ...this.#state, phase };
    this.onProgress(this.#state);
  }
}
