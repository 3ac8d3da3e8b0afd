import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { CandidateKey } from "../../src/core/index.ts";
import { type RunOnceDeps, runOnce } from "../../src/handlers/effects/runOnce.ts";
import { freshStore, realClock, recordingLog } from "../report/recordingPorts.ts";
import { type DynaliteHandle, startDynalite } from "../support/startDynalite.ts";

const KEY = {
  region: "us-east-1",
  repository: "team/app",
  digest: `sha256:${"a".repeat(64)}`,
} as CandidateKey;

let dynalite: DynaliteHandle;
let ctx: RunOnceDeps;

beforeAll(async () => {
  dynalite = await startDynalite();
});
afterAll(() => dynalite.stop());
beforeEach(async () => {
  ctx = {
    store: await freshStore(dynalite),
    clock: realClock,
    log: recordingLog(),
    settings: { effectLeaseSeconds: 60 },
  };
});

class StillBusy extends Error {}

describe("runOnce: the one exactly-once primitive", () => {
  it("performs once and records what `record` picks, then reports it done", async () => {
    const first = await runOnce(ctx, KEY, "post", async () => ({ id: 7, body: "large" }), {
      record: (r) => ({ id: r.id }),
    });
    const again = await runOnce(ctx, KEY, "post", async () => ({ id: 8, body: "never" }));
    expect(first).toEqual({ kind: "performed", result: { id: 7, body: "large" } });
    expect(again).toEqual({ kind: "done", result: { id: 7 } });
  });

  it("says busy (with the lease) while another invocation holds the claim, without waiting", async () => {
    let finish = () => {};
    const held = runOnce(
      ctx,
      KEY,
      "post",
      () => new Promise<number>((resolve) => (finish = () => resolve(1))),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    const busy = await runOnce(ctx, KEY, "post", async () => 2);
    finish();
    await held;
    expect(busy).toMatchObject({ kind: "busy", leaseUntil: expect.any(String) });
  });

  it("with `wait`, waits for the holder and then reports its result instead of performing again", async () => {
    let performed = 0;
    const slow = runOnce(ctx, KEY, "post", async () => {
      performed++;
      await new Promise((resolve) => setTimeout(resolve, 150));
      return "first";
    });
    await new Promise((resolve) => setTimeout(resolve, 30));
    const waited = await runOnce(
      ctx,
      KEY,
      "post",
      async () => {
        performed++;
        return "second";
      },
      {
        wait: {
          retries: 40,
          waitMs: 20,
          sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
          busy: () => new StillBusy(),
        },
      },
    );
    await slow;
    expect(waited).toEqual({ kind: "done", result: "first" });
    expect(performed).toBe(1);
  });

  it("with `wait`, throws the caller's busy error when the holder outlasts the retries", async () => {
    let finish = () => {};
    const held = runOnce(
      ctx,
      KEY,
      "post",
      () => new Promise<number>((resolve) => (finish = () => resolve(1))),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    const slept: number[] = [];
    const attempt = runOnce(ctx, KEY, "post", async () => 2, {
      wait: { retries: 2, waitMs: 5, sleep: async (ms) => void slept.push(ms), busy: () => new StillBusy() },
    });
    await expect(attempt).rejects.toBeInstanceOf(StillBusy);
    expect(slept).toEqual([5, 5]);
    finish();
    await held;
  });

  it("gives the claim up when performing fails, so the next invocation performs it", async () => {
    await expect(runOnce(ctx, KEY, "post", () => Promise.reject(new Error("down")))).rejects.toThrow("down");
    expect(await runOnce(ctx, KEY, "post", async () => "retried")).toEqual({
      kind: "performed",
      result: "retried",
    });
  });
});
