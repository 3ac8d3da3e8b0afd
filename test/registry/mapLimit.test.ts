import { describe, expect, it } from "vitest";
import { mapLimit } from "../../src/registry/index.ts";

describe("mapLimit", () => {
  it("keeps order and never runs more than the limit at once", async () => {
    let running = 0;
    let peak = 0;
    const result = await mapLimit([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setImmediate(resolve));
      running--;
      return n * 2;
    });
    expect(result).toEqual([2, 4, 6, 8, 10, 12, 14]);
    expect(peak).toBe(3);
  });

  it("starts nothing new after a failure and lets running calls settle before throwing", async () => {
    const started: number[] = [];
    let settled = 0;
    const failing = mapLimit([1, 2, 3, 4, 5], 2, async (n) => {
      started.push(n);
      await new Promise((resolve) => setImmediate(resolve));
      settled++;
      if (n === 1) throw new Error("boom");
      return n;
    });
    await expect(failing).rejects.toThrow("boom");
    expect(started).toEqual([1, 2]);
    expect(settled).toBe(2);
  });

  it("handles an empty list", async () => {
    expect(await mapLimit([], 4, async () => 1)).toEqual([]);
  });
});
