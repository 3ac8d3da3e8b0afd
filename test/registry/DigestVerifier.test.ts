import { createHash } from "node:crypto";
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { describe, expect, it } from "vitest";
import type { Digest } from "../../src/core/index.ts";
import { RegistryError } from "../../src/registry/index.ts";
import { DigestVerifier } from "../../src/registry/remote/DigestVerifier.ts";

const bytes = Buffer.from("hello, registry");
const digest: Digest = `sha256:${createHash("sha256").update(bytes).digest("hex")}`;

async function run(chunks: Buffer[], expected: { digest: Digest; size: number }) {
  const received: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _e, done) {
      received.push(chunk);
      done();
    },
  });
  const error = await pipeline(Readable.from(chunks), new DigestVerifier(expected), sink).then(
    () => undefined,
    (e: unknown) => e,
  );
  return { received: Buffer.concat(received), error };
}

describe("DigestVerifier", () => {
  it("passes matching bytes through unchanged", async () => {
    const { received, error } = await run([bytes.subarray(0, 5), bytes.subarray(5)], {
      digest,
      size: bytes.length,
    });
    expect(error).toBeUndefined();
    expect(received.equals(bytes)).toBe(true);
  });

  it("fails with DIGEST_INVALID and withholds the last chunk when the content is wrong", async () => {
    const wrong = Buffer.from("hello, REGISTRY");
    const { received, error } = await run([wrong.subarray(0, 5), wrong.subarray(5)], {
      digest,
      size: bytes.length,
    });
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as RegistryError).codes).toEqual(["DIGEST_INVALID"]);
    expect(received.length).toBeLessThan(bytes.length);
  });

  it("fails with SIZE_INVALID as soon as too many bytes arrive", async () => {
    const { error } = await run([bytes, Buffer.from("extra")], { digest, size: bytes.length });
    expect((error as RegistryError).codes).toEqual(["SIZE_INVALID"]);
  });

  it("fails with SIZE_INVALID when the stream ends short", async () => {
    const { error } = await run([bytes.subarray(0, 3)], { digest, size: bytes.length });
    expect((error as RegistryError).codes).toEqual(["SIZE_INVALID"]);
    expect((error as RegistryError).isRetryable()).toBe(false);
  });
});
