import { describe, expect, it } from "vitest";
import type { BatchSnapshot, BuildBatchApi, BuildSnapshot, LogApi } from "../../src/build/ports.ts";
import { runBuildBatch } from "../../src/build/runBuildBatch.ts";
import type { WaitingClock } from "../../src/core/Clock.ts";

const COMMIT = "0123456789abcdef0123456789abcdef01234567";

/** A clock that advances only when slept on. */
function fakeClock(): WaitingClock & { slept: number[] } {
  let now = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => new Date(now),
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
  };
}

function api(
  statuses: BatchSnapshot["status"][],
  builds: (call: number) => BuildSnapshot[],
): BuildBatchApi & { polls: number } {
  let polls = 0;
  let buildCalls = 0;
  const snapshot = (status: BatchSnapshot["status"]): BatchSnapshot => ({
    id: "web:1",
    status,
    jobs: [{ identifier: "index", buildId: "web:idx" }],
  });
  return {
    get polls() {
      return polls;
    },
    start: async () => snapshot("IN_PROGRESS"),
    batch: async () => snapshot(statuses[Math.min(polls++, statuses.length - 1)] ?? "IN_PROGRESS"),
    builds: async () => builds(buildCalls++),
  };
}

const noLogs: LogApi = { page: async (_g, _s, token) => ({ messages: [], nextToken: token ?? "t0" }) };

describe("runBuildBatch", () => {
  it("gives up waiting after the timeout and says the batch may still run", async () => {
    const clock = fakeClock();
    const outcome = await runBuildBatch(
      { project: "web", commit: COMMIT, environment: [], timeoutMs: 60_000, pollMs: 10_000, print: () => {} },
      { batches: api(["IN_PROGRESS"], () => []), logs: noLogs, clock },
    );
    expect(outcome).toEqual({ kind: "timed-out", batchId: "web:1", by: "wait", waitedMs: 60_000 });
    expect(clock.slept).toEqual([10_000, 10_000, 10_000, 10_000, 10_000, 10_000]);
  });

  it("reads the logs once more after the batch ends, for lines CloudWatch delivers late", async () => {
    const pages: Record<string, string[]> = { t0: [] };
    let tailArrived = false;
    const logs: LogApi = {
      page: async (_group, _stream, token) => {
        if (token === undefined) return { messages: ["first\n"], nextToken: "t1" };
        if (token === "t1" && tailArrived) return { messages: ["late tail\n"], nextToken: "t2" };
        return { messages: pages[token] ?? [], nextToken: token };
      },
    };
    const clock = fakeClock();
    const build = (status: BuildSnapshot["status"]): BuildSnapshot => ({
      id: "web:idx",
      status,
      logs: { group: "g", stream: "s" },
      exported: status === "SUCCEEDED" ? { PORTCULLIS_INDEX_DIGEST: `sha256:${"e".repeat(64)}` } : {},
      failures: [],
    });
    const printed: string[] = [];
    const outcome = await runBuildBatch(
      {
        project: "web",
        commit: COMMIT,
        environment: [],
        timeoutMs: 60_000,
        pollMs: 1,
        print: (line) => printed.push(line),
      },
      {
        batches: api(["SUCCEEDED"], (call) => {
          if (call >= 2) tailArrived = true;
          return [build(call === 0 ? "IN_PROGRESS" : "SUCCEEDED")];
        }),
        logs,
        clock,
      },
    );
    expect(outcome).toEqual({ kind: "succeeded", batchId: "web:1", indexDigest: `sha256:${"e".repeat(64)}` });
    expect(printed.filter((line) => line.startsWith("[index]"))).toEqual([
      "[index] first",
      "[index] IN_PROGRESS",
      "[index] SUCCEEDED",
      "[index] late tail",
    ]);
  });

  it("treats two exported digests as a failure rather than guessing", async () => {
    const digest = (c: string) => `sha256:${c.repeat(64)}`;
    const outcome = await runBuildBatch(
      { project: "web", commit: COMMIT, environment: [], timeoutMs: 1000, pollMs: 0, print: () => {} },
      {
        batches: api(["SUCCEEDED"], () => [
          { id: "a", status: "SUCCEEDED", exported: { PORTCULLIS_INDEX_DIGEST: digest("a") }, failures: [] },
          { id: "b", status: "SUCCEEDED", exported: { PORTCULLIS_INDEX_DIGEST: digest("b") }, failures: [] },
        ]),
        logs: noLogs,
        clock: fakeClock(),
      },
    );
    expect(outcome.kind).toBe("failed");
    expect(outcome.kind === "failed" && outcome.reasons[0]).toMatch(/more than one job exported/);
  });
});
