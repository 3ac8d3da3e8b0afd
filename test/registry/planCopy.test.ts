import { describe, expect, it } from "vitest";
import type { Digest } from "../../src/core/index.ts";
import { blobFanOuts, type DestinationPlan, sharedReader } from "../../src/registry/copy/planCopy.ts";
import type { Descriptor, RawManifest } from "../../src/registry/index.ts";

const blob = (hex: string, size: number): Descriptor => ({
  mediaType: "application/vnd.oci.image.layer.v1.tar+gzip",
  digest: `sha256:${hex.repeat(64)}` as Digest,
  size,
});
const plan = (lacking: Descriptor[]): DestinationPlan => ({
  needed: lacking,
  lacking,
  manifests: [],
  manifestsSkipped: 0,
});

describe("blobFanOuts", () => {
  it("lists each lacking blob once with every destination lacking it, largest first, skipping unplanned ones", () => {
    const [a, b, c] = [blob("a", 10), blob("b", 300), blob("c", 20)] as [Descriptor, Descriptor, Descriptor];
    const fanOuts = blobFanOuts([plan([a, b]), undefined, plan([b, c]), plan([])]);
    expect(fanOuts.map((f) => [f.blob.digest, f.destinations])).toEqual([
      [b.digest, [0, 2]],
      [c.digest, [2]],
      [a.digest, [0]],
    ]);
  });
});

describe("sharedReader", () => {
  it("reads a manifest once however many destinations ask, and again after a failure", async () => {
    let reads = 0;
    let fail = true;
    const read = sharedReader(async (digest) => {
      reads++;
      if (fail) throw new Error("503");
      return { mediaType: "x", digest, bytes: Buffer.alloc(0) } satisfies RawManifest;
    });
    const digest = `sha256:${"d".repeat(64)}` as Digest;
    await expect(read(digest)).rejects.toThrow("503");
    fail = false;
    await Promise.all([read(digest), read(digest), read(digest)]);
    expect(reads).toBe(2);
  });
});
