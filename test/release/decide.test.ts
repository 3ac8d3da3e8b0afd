import { describe, expect, it } from "vitest";
import type { ScanStatus } from "../../src/core/scanStatus.ts";
import type { Candidate } from "../../src/release/Candidate.ts";
import { decide } from "../../src/release/decide.ts";
import { readyToDecide } from "../../src/release/readyToDecide.ts";
import { recordScan } from "../../src/release/recordScan.ts";
import { AMD64, ARM64, at, registered, roundTrip, scan, stateOf } from "./fixtures.ts";

function scanned(amd64: ScanStatus, arm64: ScanStatus): Candidate {
  const one = stateOf(recordScan(registered(), scan(AMD64, amd64, 1)));
  return stateOf(recordScan(one, scan(ARM64, arm64, 2)));
}

const reasons = {
  blocked: [{ id: "CVE-2026-0001", severity: "CRITICAL", platform: "linux/arm64" }],
  warnings: [],
};

describe("readyToDecide", () => {
  it.each([
    ["no scans", [], false],
    ["one of two children scanned", [["COMPLETE", null]], false],
    ["one complete, one in progress", [["COMPLETE", "IN_PROGRESS"]], false],
    ["one complete, one pending", [["COMPLETE", "PENDING"]], false],
    ["both complete", [["COMPLETE", "COMPLETE"]], true],
    ["both active (enhanced scanning)", [["ACTIVE", "ACTIVE"]], true],
    ["one FAILED", [["COMPLETE", "FAILED"]], true],
    ["one UNSUPPORTED_IMAGE", [["UNSUPPORTED_IMAGE", "COMPLETE"]], true],
    ["one SCAN_ELIGIBILITY_EXPIRED", [["COMPLETE", "SCAN_ELIGIBILITY_EXPIRED"]], true],
    ["one FINDINGS_UNAVAILABLE", [["FINDINGS_UNAVAILABLE", "COMPLETE"]], true],
  ] as const)("with %s: %s", (_title, rows, expected) => {
    let state = registered();
    for (const [amd64, arm64] of rows) {
      state = stateOf(recordScan(state, scan(AMD64, amd64, 1)));
      if (arm64 !== null) state = stateOf(recordScan(state, scan(ARM64, arm64, 1)));
    }
    expect(readyToDecide(state)).toBe(expected);
  });
});

describe("decide", () => {
  it("records a passed decision once every child is complete", () => {
    const state = scanned("COMPLETE", "COMPLETE");
    const result = decide(state, { outcome: "passed", reasons: { blocked: [] }, now: at(3) });
    expect(result.kind).toBe("changed");
    const next = stateOf(result);
    expect(next).toMatchObject({
      phase: "decided",
      decision: { outcome: "passed", at: at(3).toISOString(), reasons: { blocked: [] } },
      version: state.version + 1,
    });
    expect(result.kind === "changed" && result.effects).toEqual([{ kind: "decided", outcome: "passed" }]);
    expect(readyToDecide(next)).toBe(false);
  });

  it("decides exactly once: a second decision is unchanged, whatever its outcome", () => {
    const decided = stateOf(
      decide(scanned("COMPLETE", "COMPLETE"), { outcome: "failed", reasons, now: at(3) }),
    );
    for (const outcome of ["passed", "failed"] as const) {
      expect(decide(decided, { outcome, reasons: {}, now: at(4) })).toEqual({
        kind: "unchanged",
        reason: "already-decided",
        state: decided,
      });
    }
  });

  it("keeps the policy's reasons as given, through a JSON round trip", () => {
    const decided = stateOf(
      decide(scanned("COMPLETE", "COMPLETE"), { outcome: "failed", reasons, now: at(3) }),
    );
    expect(roundTrip(decided)).toStrictEqual(decided);
    expect(decided.phase === "decided" && decided.decision.reasons).toEqual(reasons);
  });

  it("refuses to decide while a child is still scanning", () => {
    const state = scanned("COMPLETE", "IN_PROGRESS");
    expect(decide(state, { outcome: "failed", reasons, now: at(3) })).toEqual({
      kind: "rejected",
      issues: [
        { field: "scans", value: ["linux/arm64"], message: expect.stringContaining("cannot decide yet") },
      ],
    });
  });

  it("refuses to decide before any scan", () => {
    expect(decide(registered(), { outcome: "failed", reasons, now: at(3) })).toMatchObject({
      kind: "rejected",
      issues: [{ field: "scans", value: ["linux/amd64", "linux/arm64"] }],
    });
  });

  it.each([
    "FAILED",
    "UNSUPPORTED_IMAGE",
    "SCAN_ELIGIBILITY_EXPIRED",
    "FINDINGS_UNAVAILABLE",
    "LIMIT_EXCEEDED",
  ] as const)(
    "is ready with a %s child, fails it, and refuses to pass it whatever the policy says",
    (status) => {
      const state = scanned("COMPLETE", status);
      expect(readyToDecide(state)).toBe(true);
      expect(decide(state, { outcome: "passed", reasons: {}, now: at(3) })).toEqual({
        kind: "rejected",
        issues: [
          {
            field: "outcome",
            value: "passed",
            message: `needs COMPLETE or ACTIVE scans (linux/arm64: ${status})`,
          },
        ],
      });
      expect(stateOf(decide(state, { outcome: "failed", reasons, now: at(3) }))).toMatchObject({
        phase: "decided",
        decision: { outcome: "failed" },
      });
    },
  );

  it.each([
    ["an outcome that only timeOut records", { outcome: "timed-out" as never }, "outcome"],
    ["reasons with undefined", { reasons: { a: undefined } as never }, "reasons"],
    ["reasons with a Date", { reasons: { at: new Date() } as never }, "reasons"],
    ["reasons with NaN", { reasons: { score: Number.NaN } }, "reasons"],
    ["an invalid time", { now: new Date("x") }, "now"],
  ])("rejects %s, naming %s", (_title, overrides, field) => {
    const result = decide(scanned("COMPLETE", "COMPLETE"), {
      outcome: "passed",
      reasons: {},
      now: at(3),
      ...overrides,
    });
    expect(result.kind === "rejected" && result.issues.map((issue) => issue.field)).toEqual([field]);
  });
});
