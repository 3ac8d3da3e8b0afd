import { Readable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { BlobBroadcast } from "../../src/registry/copy/BlobBroadcast.ts";

const CHUNK = 64 * 1024;

/** A source of `chunks` chunks that counts how many were pulled from it. */
function countingSource(chunks: number): { stream: Readable; pulled: () => number } {
  let pulled = 0;
  const stream = new Readable({
    highWaterMark: CHUNK,
    read() {
      if (pulled >= chunks) this.push(null);
      else {
        pulled++;
        this.push(Buffer.alloc(CHUNK, pulled % 256));
      }
    },
  });
  return { stream, pulled: () => pulled };
}

/** Reads a branch to the end, waiting `delayMs` after each chunk; returns the bytes and the chunk contents. */
async function consume(branch: Readable, delayMs = 0, onChunk: (bytes: number) => void = () => undefined) {
  let bytes = 0;
  for await (const chunk of branch as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    onChunk(bytes);
    if (delayMs > 0) await sleep(delayMs);
  }
  return bytes;
}

describe("BlobBroadcast", () => {
  it("reads the source once and gives every branch all of it", async () => {
    const source = countingSource(40);
    const broadcast = new BlobBroadcast(3, CHUNK);
    const branches = [broadcast.join(), broadcast.join(), broadcast.join()] as Readable[];
    const [, ...sizes] = await Promise.all([
      broadcast.run(async () => source.stream),
      ...branches.map((b) => consume(b)),
    ]);
    expect(sizes).toEqual([40 * CHUNK, 40 * CHUNK, 40 * CHUNK]);
    expect(source.pulled()).toBe(40);
    expect(broadcast.bytes).toBe(40 * CHUNK);
  });

  it("lets the slowest branch pace the read: the source never runs more than a few chunks ahead of it", async () => {
    const source = countingSource(30);
    const broadcast = new BlobBroadcast(2, CHUNK);
    const [fast, slow] = [broadcast.join(), broadcast.join()] as [Readable, Readable];
    let maxAhead = 0;
    const onSlow = (bytes: number) => {
      maxAhead = Math.max(maxAhead, source.pulled() * CHUNK - bytes);
    };
    const [, , slowBytes] = await Promise.all([
      broadcast.run(async () => source.stream),
      consume(fast),
      consume(slow, 5, onSlow),
    ]);
    expect(slowBytes).toBe(30 * CHUNK);
    expect(maxAhead).toBeLessThanOrEqual(4 * CHUNK);
  });

  it("goes on for the other branches when one is destroyed mid-read, and stops reading when all are", async () => {
    const source = countingSource(50);
    const broadcast = new BlobBroadcast(2, CHUNK);
    const [keeps, quits] = [broadcast.join(), broadcast.join()] as [Readable, Readable];
    let seen = 0;
    const quitting = consume(quits, 0, () => {
      seen++;
      if (seen === 5) quits.destroy();
    }).catch(() => "destroyed");
    const [, kept] = await Promise.all([broadcast.run(async () => source.stream), consume(keeps), quitting]);
    expect(kept).toBe(50 * CHUNK);

    const second = countingSource(1000);
    const lonely = new BlobBroadcast(1, CHUNK);
    const only = lonely.join() as Readable;
    let n = 0;
    await Promise.all([
      lonely.run(async () => second.stream),
      consume(only, 0, () => {
        n++;
        if (n === 3) only.destroy();
      }).catch(() => undefined),
    ]);
    expect(second.pulled()).toBeLessThan(20);
  });

  it("fails every branch when the source fails", async () => {
    const broadcast = new BlobBroadcast(2, CHUNK);
    const branches = [broadcast.join(), broadcast.join()] as Readable[];
    const failing = new Readable({
      read() {
        this.destroy(Object.assign(new Error("source reset"), { code: "ECONNRESET" }));
      },
    });
    const outcomes = await Promise.all([
      broadcast.run(async () => failing),
      ...branches.map((b) => consume(b).catch((e: Error) => e.message)),
    ]);
    expect(outcomes.slice(1)).toEqual(["source reset", "source reset"]);
  });

  it("starts without a member that neither joins nor leaves within the grace period, which must read on its own", async () => {
    const source = countingSource(4);
    const broadcast = new BlobBroadcast(2, CHUNK);
    const early = broadcast.join() as Readable;
    const [, bytes] = await Promise.all([broadcast.run(async () => source.stream, 50), consume(early)]);
    expect(bytes).toBe(4 * CHUNK);
    expect(broadcast.join()).toBeUndefined();
  });

  it("never opens the source when every member left", async () => {
    const broadcast = new BlobBroadcast(2, CHUNK);
    broadcast.leave();
    broadcast.leave();
    let opened = false;
    await broadcast.run(async () => {
      opened = true;
      return countingSource(1).stream;
    });
    expect(opened).toBe(false);
  });
});
