import { createHash, type Hash } from "node:crypto";
import { Transform, type TransformCallback } from "node:stream";
import type { Digest } from "../../core/digest.ts";
import { RegistryError } from "../errors.ts";

/** What the bytes must be. */
export interface Expected {
  readonly digest: Digest;
  readonly size: number;
}

/**
 * A pass-through Transform that hashes bytes as they flow and holds back the last chunk until the
 * digest and size check out, so a receiver never gets a complete body whose digest is wrong.
 * Fails early (SIZE_INVALID) as soon as more bytes than expected arrive.
 * https://github.com/opencontainers/image-spec/blob/main/descriptor.md#digests
 */
export class DigestVerifier extends Transform {
  readonly #expected: Expected;
  readonly #hash: Hash = createHash("sha256");
  readonly #onBytes: ((n: number) => void) | undefined;
  #held: Buffer | undefined;
  #seen = 0;

  constructor(expected: Expected, onBytes?: (n: number) => void, highWaterMark?: number) {
    super(highWaterMark === undefined ? {} : { highWaterMark });
    this.#expected = expected;
    this.#onBytes = onBytes;
  }

  /** Bytes seen so far. */
  get bytes(): number {
    return this.#seen;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.#seen += chunk.length;
    if (this.#seen > this.#expected.size) {
      done(this.#mismatch("SIZE_INVALID", `more than ${this.#expected.size} bytes`));
      return;
    }
    this.#hash.update(chunk);
    this.#onBytes?.(chunk.length);
    const previous = this.#held;
    this.#held = chunk;
    done(null, previous);
  }

  override _flush(done: TransformCallback): void {
    done(this.#verify(), this.#held);
  }

  #verify(): RegistryError | null {
    if (this.#seen !== this.#expected.size)
      return this.#mismatch("SIZE_INVALID", `${this.#seen} bytes, expected ${this.#expected.size}`);
    const actual = `sha256:${this.#hash.digest("hex")}`;
    if (actual !== this.#expected.digest)
      return this.#mismatch("DIGEST_INVALID", `content hashes to ${actual}`);
    return null;
  }

  #mismatch(code: string, why: string): RegistryError {
    return new RegistryError({
      message: `blob ${this.#expected.digest}: ${why}`,
      errors: [{ code, message: why }],
    });
  }
}
