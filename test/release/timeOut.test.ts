import { describe, expect, it } from "vitest";
import { decide } from "../../src/release/decide.ts";
import { recordScan } from "../../src/release/recordScan.ts";
import { timeOut } from "../../src/release/timeOut.ts";
import { AMD64, ARM64, at, registered, scan, stateOf } from "./fixtures.ts";

describe("timeOut", () => {
  it("fails closed past the deadline, listing each waiting platform and its last status", () => {
    const state = stateOf(
      recordScan(
        stateOf(recordScan(registered(), scan(AMD64, "COMPLETE", 1))),
        scan(ARM64, "IN_PROGRESS", 2),
      ),
    );
    const result = timeOut(state, at(61));
    expect(result.kind === "changed" && result.effects).toEqual([{ kind: "decided", outcome: "timed-out" }]);
    expect(stateOf(result)).toMatchObject({
      phase: "decided",
      version: state.version + 1,
      decision: {
        outcome: "timed-out",
        at: at(61).toISOString(),
        reasons: {
          kind: "timeout",
          deadline: at(60).toISOString(),
          waiting: [{ digest: ARM64, platform: "linux/arm64", status: "IN_PROGRESS" }],
        },
      },
    });
  });

  it("reports a child that never got any scan with a null status", () => {
    const result = timeOut(registered(), at(120));
    expect(stateOf(result)).toMatchObject({
      decision: {
        reasons: {
          waiting: [
            { digest: AMD64, status: null },
            { digest: ARM64, status: null },
          ],
        },
      },
    });
  });

  it("does nothing at or before the deadline", () => {
    const state = registered();
    expect(timeOut(state, at(30))).toEqual({ kind: "unchanged", reason: "not-due", state });
    expect(timeOut(state, at(60))).toEqual({ kind: "unchanged", reason: "not-due", state });
  });

  it("does not time out a candidate whose scans all arrived: it is evaluated instead", () => {
    const state = stateOf(
      recordScan(stateOf(recordScan(registered(), scan(AMD64, "COMPLETE", 1))), scan(ARM64, "FAILED", 2)),
    );
    expect(timeOut(state, at(500))).toMatchObject({ kind: "unchanged", reason: "ready-to-evaluate" });
  });

  it("never overrides a decision", () => {
    let state = stateOf(recordScan(registered(), scan(AMD64, "COMPLETE", 1)));
    state = stateOf(recordScan(state, scan(ARM64, "COMPLETE", 1)));
    state = stateOf(decide(state, { outcome: "passed", reasons: {}, now: at(2) }));
    expect(timeOut(state, at(500))).toMatchObject({ kind: "unchanged", reason: "already-decided" });
    expect(timeOut(stateOf(timeOut(registered(), at(61))), at(62))).toMatchObject({
      kind: "unchanged",
      reason: "already-decided",
    });
  });

  it("rejects an invalid time", () => {
    expect(timeOut(registered(), new Date("x"))).toMatchObject({
      kind: "rejected",
      issues: [{ field: "now" }],
    });
  });
});
