import { Readable } from "node:stream";

/**
 * One blob read once from the source and fed to several uploads, each through its own {@link Readable}
 * branch. A chunk goes to every branch before the next is read, so the slowest upload paces the read and
 * memory stays at about one chunk per branch. An upload that fails destroys its branch and drops out; the
 * others go on. A source failure fails every branch (each upload is then retried on its own).
 * @example const b = new BlobBroadcast(2); const one = b.join(); const two = b.join(); await b.run(() => client.getBlob(repo, blob));
 */
export class BlobBroadcast {
  readonly #branches = new Set<Branch>();
  readonly #highWaterMark: number;
  #unsettled: number;
  #started = false;
  #onSettled: (() => void) | undefined;
  #onFirstJoin: (() => void) | undefined;
  readonly #settled: Promise<void>;
  readonly #firstJoin: Promise<void>;
  /** Bytes read from the source. */
  bytes = 0;

  /** `members`: how many uploads will each either {@link join} or {@link leave} before the read starts. */
  constructor(members: number, highWaterMark = 256 * 1024) {
    this.#unsettled = members;
    this.#highWaterMark = highWaterMark;
    this.#settled = new Promise((resolve) => {
      this.#onSettled = resolve;
    });
    this.#firstJoin = new Promise((resolve) => {
      this.#onFirstJoin = resolve;
    });
    if (members <= 0) this.#onSettled?.();
  }

  /** A branch for one upload, or undefined when the read already started without it (read on your own). */
  join(): Readable | undefined {
    if (this.#started) return undefined;
    const branch = new Branch(this.#highWaterMark);
    this.#branches.add(branch);
    this.#onFirstJoin?.();
    this.#settle();
    return branch;
  }

  /** An upload that will not read (the blob was mounted, or the upload failed before its body). */
  leave(): void {
    if (!this.#started) this.#settle();
  }

  /**
   * Waits until every member joined or left (or `graceMs` after the first join, so one destination's
   * retries do not hold the others back), then reads the source into the branches. Never throws: a
   * failure reaches the uploads through their branches.
   */
  async run(open: () => Promise<Readable>, graceMs = 1000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const grace = this.#firstJoin.then(
      () => new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs))),
    );
    await Promise.race([this.#settled, grace]);
    clearTimeout(timer);
    this.#started = true;
    this.#onFirstJoin?.();
    if (this.#branches.size === 0) return;
    let source: Readable | undefined;
    try {
      source = await open();
      await this.#pump(source);
    } catch (error) {
      for (const branch of this.#branches) branch.destroy(error as Error);
    } finally {
      source?.destroy();
    }
  }

  async #pump(source: Readable): Promise<void> {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      this.bytes += chunk.length;
      const full: Promise<void>[] = [];
      for (const branch of this.#branches) {
        if (branch.destroyed) this.#branches.delete(branch);
        else if (!branch.push(chunk)) full.push(branch.wanted());
      }
      if (this.#branches.size === 0) return;
      if (full.length > 0) await Promise.all(full);
    }
    for (const branch of this.#branches) if (!branch.destroyed) branch.push(null);
  }

  #settle(): void {
    this.#unsettled--;
    if (this.#unsettled <= 0) this.#onSettled?.();
  }
}

/** A branch: a Readable the broadcast pushes into, telling it when the reader wants more. */
class Branch extends Readable {
  #wake: (() => void) | undefined;

  constructor(highWaterMark: number) {
    super({ highWaterMark });
  }

  /** Resolves when the reader wants more bytes (or the branch is gone). */
  wanted(): Promise<void> {
    return new Promise((resolve) => {
      this.#wake = resolve;
    });
  }

  override _read(): void {
    this.#wakeUp();
  }

  override _destroy(error: Error | null, done: (error?: Error | null) => void): void {
    this.#wakeUp();
    done(error);
  }

  #wakeUp(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}
