import { describe, expect, it } from "vitest";
import type { Candidate } from "../../src/release/Candidate.ts";
import { decide } from "../../src/release/decide.ts";
import { markPromoted } from "../../src/release/markPromoted.ts";
import { nextAction } from "../../src/release/nextAction.ts";
import { recordReplication } from "../../src/release/recordReplication.ts";
import { recordScan } from "../../src/release/recordScan.ts";
import { timeOut } from "../../src/release/timeOut.ts";
import { AMD64, ARM64, at, registered, scan, stateOf } from "./fixtures.ts";

function ready(): Candidate {
  return stateOf(
    recordScan(stateOf(recordScan(registered(), scan(AMD64, "COMPLETE", 1))), scan(ARM64, "COMPLETE", 2)),
  );
}

function promoted(): Candidate {
  const passed = stateOf(decide(ready(), { outcome: "passed", reasons: {}, now: at(3) }));
  return stateOf(
    markPromoted(passed, { tags: ["main", "latest"], now: at(4), replicateTo: ["eu-west-1", "us-west-2"] }),
  );
}

describe("nextAction", () => {
  it("waits for the missing children until the deadline", () => {
    const state = stateOf(recordScan(registered(), scan(AMD64, "COMPLETE", 1)));
    expect(nextAction(state, at(10))).toEqual({
      kind: "wait",
      until: at(60).toISOString(),
      waiting: [ARM64],
    });
  });

  it("asks for a timeout once the deadline has passed with scans missing", () => {
    expect(nextAction(registered(), at(61))).toEqual({ kind: "timed-out" });
  });

  it("asks for an evaluation when every scan is in, even past the deadline", () => {
    expect(nextAction(ready(), at(10))).toEqual({ kind: "evaluate" });
    expect(nextAction(ready(), at(600))).toEqual({ kind: "evaluate" });
  });

  it("asks to promote the planned tags after a pass", () => {
    const passed = stateOf(decide(ready(), { outcome: "passed", reasons: {}, now: at(3) }));
    expect(nextAction(passed, at(3))).toEqual({ kind: "promote", tags: ["main", "latest"] });
  });

  it("is done after a failure or a timeout", () => {
    const failed = stateOf(decide(ready(), { outcome: "failed", reasons: {}, now: at(3) }));
    expect(nextAction(failed, at(3))).toEqual({ kind: "done", outcome: "failed", failedRegions: [] });
    expect(nextAction(stateOf(timeOut(registered(), at(61))), at(62))).toEqual({
      kind: "done",
      outcome: "timed-out",
      failedRegions: [],
    });
  });

  it("asks to replicate the regions not yet done, then is done", () => {
    let state = promoted();
    expect(nextAction(state, at(5))).toEqual({ kind: "replicate", regions: ["eu-west-1", "us-west-2"] });
    state = stateOf(recordReplication(state, { region: "eu-west-1", outcome: "replicated", now: at(5) }));
    expect(nextAction(state, at(5))).toEqual({ kind: "replicate", regions: ["us-west-2"] });
    state = stateOf(recordReplication(state, { region: "us-west-2", outcome: "replicated", now: at(6) }));
    expect(nextAction(state, at(6))).toEqual({ kind: "done", outcome: "passed", failedRegions: [] });
  });

  it("retries a failed region until the attempts run out, then reports it", () => {
    let state = stateOf(
      recordReplication(promoted(), { region: "us-west-2", outcome: "replicated", now: at(5) }),
    );
    for (let attempt = 1; attempt <= 3; attempt++) {
      expect(nextAction(state, at(5), { maxReplicationAttempts: 3 })).toEqual({
        kind: "replicate",
        regions: ["eu-west-1"],
      });
      state = stateOf(
        recordReplication(state, {
          region: "eu-west-1",
          outcome: "failed",
          error: "throttled",
          now: at(5 + attempt),
        }),
      );
    }
    expect(nextAction(state, at(9), { maxReplicationAttempts: 3 })).toEqual({
      kind: "done",
      outcome: "passed",
      failedRegions: ["eu-west-1"],
    });
  });

  it("is done right after promotion when there is nowhere to replicate to", () => {
    const passed = stateOf(decide(ready(), { outcome: "passed", reasons: {}, now: at(3) }));
    const state = stateOf(markPromoted(passed, { tags: ["main"], now: at(4) }));
    expect(nextAction(state, at(4))).toEqual({ kind: "done", outcome: "passed", failedRegions: [] });
  });
});
