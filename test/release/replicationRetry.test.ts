import { describe, expect, it } from "vitest";
import type { Candidate } from "../../src/release/Candidate.ts";
import { decide } from "../../src/release/decide.ts";
import { markPromoted } from "../../src/release/markPromoted.ts";
import { recordReplication } from "../../src/release/recordReplication.ts";
import { recordScan } from "../../src/release/recordScan.ts";
import { replicationRetry } from "../../src/release/replicationRetry.ts";
import { AMD64, ARM64, at, registered, scan, stateOf } from "./fixtures.ts";

function promoted(): Candidate {
  const ready = stateOf(
    recordScan(stateOf(recordScan(registered(), scan(AMD64, "COMPLETE", 1))), scan(ARM64, "COMPLETE", 2)),
  );
  const passed = stateOf(decide(ready, { outcome: "passed", reasons: {}, now: at(3) }));
  return stateOf(
    markPromoted(passed, { tags: ["main", "latest"], now: at(4), replicateTo: ["eu-west-1", "us-west-2"] }),
  );
}

function failedTimes(state: Candidate, region: string, times: number, minute: number): Candidate {
  let next = state;
  for (let i = 0; i < times; i++)
    next = stateOf(recordReplication(next, { region, outcome: "failed", error: "503", now: at(minute) }));
  return next;
}

describe("replicationRetry", () => {
  it("leaves regions on their first attempt to the promotion's own event, then asks again (the event may be lost)", () => {
    expect(replicationRetry(promoted(), at(18), { retryAfterMinutes: 15 })).toEqual({
      kind: "wait",
      until: at(19).toISOString(),
      regions: ["eu-west-1", "us-west-2"],
    });
    expect(replicationRetry(promoted(), at(19), { retryAfterMinutes: 15 })).toEqual({
      kind: "retry",
      regions: ["eu-west-1", "us-west-2"],
      effect: "replicate-retry:eu-west-1#0,us-west-2#0:0",
    });
  });

  it("waits until the newest failed attempt is retryAfterMinutes old", () => {
    const state = failedTimes(promoted(), "eu-west-1", 1, 10);
    expect(replicationRetry(state, at(24), { retryAfterMinutes: 15 })).toEqual({
      kind: "wait",
      until: at(25).toISOString(),
      regions: ["eu-west-1", "us-west-2"],
    });
  });

  it("asks again for every region still missing, named once per window and attempt state", () => {
    const state = failedTimes(promoted(), "eu-west-1", 2, 10);
    const first = replicationRetry(state, at(25), { retryAfterMinutes: 15 });
    expect(first).toEqual({
      kind: "retry",
      regions: ["eu-west-1", "us-west-2"],
      effect: "replicate-retry:eu-west-1#2,us-west-2#0:0",
    });
    expect(replicationRetry(state, at(39), { retryAfterMinutes: 15 })).toEqual(first);
    expect(replicationRetry(state, at(40), { retryAfterMinutes: 15 })).toMatchObject({
      effect: "replicate-retry:eu-west-1#2,us-west-2#0:1",
    });
    const again = failedTimes(state, "eu-west-1", 1, 41);
    expect(replicationRetry(again, at(56), { retryAfterMinutes: 15 })).toMatchObject({
      effect: "replicate-retry:eu-west-1#3,us-west-2#0:0",
    });
  });

  it("gives up once the region's attempts are spent, and asks nothing once it replicated", () => {
    const spent = failedTimes(promoted(), "eu-west-1", 5, 10);
    const rest = stateOf(
      recordReplication(spent, { region: "us-west-2", outcome: "replicated", now: at(11) }),
    );
    expect(replicationRetry(rest, at(600), { maxReplicationAttempts: 5 })).toEqual({ kind: "none" });
    const euDone = stateOf(
      recordReplication(failedTimes(promoted(), "eu-west-1", 1, 10), {
        region: "eu-west-1",
        outcome: "replicated",
        now: at(12),
      }),
    );
    const done = stateOf(
      recordReplication(euDone, { region: "us-west-2", outcome: "replicated", now: at(13) }),
    );
    expect(replicationRetry(done, at(600))).toEqual({ kind: "none" });
  });

  it("asks nothing of a candidate that is not promoted", () => {
    expect(replicationRetry(registered(), at(600))).toEqual({ kind: "none" });
  });
});
