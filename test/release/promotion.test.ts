import { describe, expect, it } from "vitest";
import type { Candidate } from "../../src/release/Candidate.ts";
import { decide } from "../../src/release/decide.ts";
import { markPromoted } from "../../src/release/markPromoted.ts";
import { recordReplication } from "../../src/release/recordReplication.ts";
import { recordScan } from "../../src/release/recordScan.ts";
import { timeOut } from "../../src/release/timeOut.ts";
import { AMD64, ARM64, at, registered, scan, stateOf } from "./fixtures.ts";

function decided(outcome: "passed" | "failed"): Candidate {
  let state = stateOf(recordScan(registered(), scan(AMD64, "COMPLETE", 1)));
  state = stateOf(recordScan(state, scan(ARM64, "COMPLETE", 2)));
  return stateOf(decide(state, { outcome, reasons: {}, now: at(3) }));
}

function promoted(replicateTo = ["eu-west-1", "ap-southeast-2"]): Candidate {
  return stateOf(markPromoted(decided("passed"), { tags: ["main", "latest"], now: at(4), replicateTo }));
}

describe("markPromoted", () => {
  it("records the moved tags and one pending replica per other region", () => {
    const state = decided("passed");
    const result = markPromoted(state, {
      tags: ["main", "latest", "main"],
      now: at(4),
      replicateTo: ["us-east-1", "eu-west-1", "eu-west-1", "ap-southeast-2"],
    });
    expect(result.kind === "changed" && result.effects).toEqual([
      { kind: "promoted", tags: ["main", "latest"], regions: ["eu-west-1", "ap-southeast-2"] },
    ]);
    expect(stateOf(result)).toMatchObject({
      phase: "promoted",
      version: state.version + 1,
      promotion: { tags: ["main", "latest"], at: at(4).toISOString() },
      replicas: {
        "eu-west-1": { status: "pending", attempts: 0, at: at(4).toISOString() },
        "ap-southeast-2": { status: "pending", attempts: 0, at: at(4).toISOString() },
      },
    });
  });

  it("promotes only once", () => {
    const state = promoted();
    expect(markPromoted(state, { tags: ["other"], now: at(5) })).toEqual({
      kind: "unchanged",
      reason: "already-promoted",
      state,
    });
  });

  it("refuses to promote a failed candidate", () => {
    expect(markPromoted(decided("failed"), { tags: ["main"], now: at(4) })).toEqual({
      kind: "rejected",
      issues: [
        { field: "decision.outcome", value: "failed", message: "only a passed candidate is promoted" },
      ],
    });
  });

  it("refuses to promote a timed-out candidate", () => {
    expect(
      markPromoted(stateOf(timeOut(registered(), at(61))), { tags: ["main"], now: at(62) }),
    ).toMatchObject({
      kind: "rejected",
      issues: [{ field: "decision.outcome", value: "timed-out" }],
    });
  });

  it("refuses to promote an undecided candidate, even with every scan complete", () => {
    let state = stateOf(recordScan(registered(), scan(AMD64, "COMPLETE", 1)));
    state = stateOf(recordScan(state, scan(ARM64, "COMPLETE", 2)));
    expect(markPromoted(state, { tags: ["main"], now: at(4) })).toMatchObject({
      kind: "rejected",
      issues: [{ field: "phase", value: "scanning" }],
    });
  });

  it("rejects invalid tags and regions, naming each", () => {
    const result = markPromoted(decided("passed"), {
      tags: ["ok", "-bad"],
      now: at(4),
      replicateTo: ["EU_WEST"],
    });
    expect(result.kind === "rejected" && result.issues.map((issue) => issue.field)).toEqual([
      "tags[1]",
      "replicateTo[0]",
    ]);
  });

  it("promotes with no replication target when none is configured", () => {
    expect(stateOf(markPromoted(decided("passed"), { tags: ["main"], now: at(4) }))).toMatchObject({
      replicas: {},
    });
  });
});

describe("recordReplication", () => {
  it("records a region as replicated, and says when every region is done", () => {
    const first = recordReplication(promoted(), { region: "eu-west-1", outcome: "replicated", now: at(5) });
    expect(first.kind === "changed" && first.effects).toEqual([
      { kind: "replicated", region: "eu-west-1", complete: false },
    ]);
    expect(stateOf(first)).toMatchObject({
      replicas: { "eu-west-1": { status: "replicated", attempts: 1 } },
    });
    const second = recordReplication(stateOf(first), {
      region: "ap-southeast-2",
      outcome: "replicated",
      now: at(6),
    });
    expect(second.kind === "changed" && second.effects).toEqual([
      { kind: "replicated", region: "ap-southeast-2", complete: true },
    ]);
  });

  it("counts failed attempts per region and keeps the error, then a success clears it", () => {
    let state = promoted();
    for (let i = 1; i <= 2; i++) {
      const result = recordReplication(state, {
        region: "eu-west-1",
        outcome: "failed",
        error: `boom ${i}`,
        now: at(5 + i),
      });
      expect(result.kind === "changed" && result.effects).toEqual([
        { kind: "replication-failed", region: "eu-west-1", error: `boom ${i}`, attempts: i },
      ]);
      state = stateOf(result);
    }
    state = stateOf(recordReplication(state, { region: "eu-west-1", outcome: "replicated", now: at(9) }));
    expect(state.phase === "promoted" && state.replicas["eu-west-1"]).toEqual({
      status: "replicated",
      attempts: 3,
      at: at(9).toISOString(),
    });
    expect(state.phase === "promoted" && state.replicas["ap-southeast-2"]?.status).toBe("pending");
  });

  it("keeps a replicated region replicated: a late failure or a repeat changes nothing", () => {
    const state = stateOf(
      recordReplication(promoted(), { region: "eu-west-1", outcome: "replicated", now: at(5) }),
    );
    for (const outcome of ["replicated", "failed"] as const) {
      expect(recordReplication(state, { region: "eu-west-1", outcome, error: "late", now: at(6) })).toEqual({
        kind: "unchanged",
        reason: "already-replicated",
        state,
      });
    }
  });

  it("does not count a redelivered failure event as another attempt", () => {
    const input = {
      region: "eu-west-1",
      outcome: "failed",
      error: "denied",
      now: at(5),
      eventId: "evt-1",
    } as const;
    const once = stateOf(recordReplication(promoted(), input));
    expect(recordReplication(once, input)).toMatchObject({ kind: "unchanged", reason: "duplicate" });
  });

  it("keeps a long error to 1000 characters", () => {
    const state = stateOf(
      recordReplication(promoted(), {
        region: "eu-west-1",
        outcome: "failed",
        error: "e".repeat(5000),
        now: at(5),
      }),
    );
    expect(state.phase === "promoted" && state.replicas["eu-west-1"]?.error).toHaveLength(1000);
  });

  it.each([
    ["a region that is not a target", { region: "sa-east-1" }, "region"],
    ["a failure without an error", { outcome: "failed" as const }, "error"],
    ["an unknown outcome", { outcome: "maybe" as never }, "outcome"],
    ["an invalid time", { now: new Date("x") }, "now"],
  ])("rejects %s, naming %s", (_title, overrides, field) => {
    const result = recordReplication(promoted(), {
      region: "eu-west-1",
      outcome: "replicated",
      now: at(5),
      ...overrides,
    });
    expect(result.kind === "rejected" && result.issues.map((issue) => issue.field)).toEqual([field]);
  });

  it("rejects replication before promotion", () => {
    expect(
      recordReplication(decided("passed"), { region: "eu-west-1", outcome: "replicated", now: at(5) }),
    ).toMatchObject({
      kind: "rejected",
      issues: [{ field: "phase", value: "decided" }],
    });
  });
});
