import { describe, expect, it } from "vitest";
import { emptySeverityCounts } from "../../src/core/severity.ts";
import { decide } from "../../src/release/decide.ts";
import { readyToDecide } from "../../src/release/readyToDecide.ts";
import { recordScan } from "../../src/release/recordScan.ts";
import { EVENT_HISTORY_LIMIT } from "../../src/release/rememberEvent.ts";
import { AMD64, ARM64, ATTESTATION, at, registered, scan, stateOf, T0 } from "./fixtures.ts";

describe("recordScan", () => {
  it("records a child's result, bumping the version by one", () => {
    const state = registered();
    const result = recordScan(state, scan(AMD64, "COMPLETE", 1, { counts: { CRITICAL: 1, LOW: 4 } }));
    expect(result.kind).toBe("changed");
    const next = stateOf(result);
    expect(next.version).toBe(state.version + 1);
    expect(next.scans[AMD64]).toEqual({
      status: "COMPLETE",
      counts: { ...emptySeverityCounts(), CRITICAL: 1, LOW: 4 },
      scanner: "basic",
      at: at(1).toISOString(),
      eventId: `${AMD64.slice(-4)}-COMPLETE-1`,
    });
    expect(next.seenEvents).toEqual([`${AMD64.slice(-4)}-COMPLETE-1`]);
    expect(result.kind === "changed" && result.effects).toEqual([
      { kind: "scan-recorded", digest: AMD64, status: "COMPLETE" },
    ]);
  });

  it("announces ready with the scan that completes the set, and only then", () => {
    const one = stateOf(recordScan(registered(), scan(AMD64, "COMPLETE", 1)));
    expect(readyToDecide(one)).toBe(false);
    const both = recordScan(one, scan(ARM64, "COMPLETE", 2));
    expect(both.kind === "changed" && both.effects).toEqual([
      { kind: "scan-recorded", digest: ARM64, status: "COMPLETE" },
      { kind: "ready" },
    ]);
    const rescan = recordScan(stateOf(both), scan(ARM64, "COMPLETE", 3, { counts: { HIGH: 1 } }));
    expect(rescan.kind === "changed" && rescan.effects).toEqual([
      { kind: "scan-recorded", digest: ARM64, status: "COMPLETE" },
    ]);
  });

  it("leaves the state unchanged for a redelivered event", () => {
    const input = scan(AMD64, "COMPLETE", 1);
    const once = stateOf(recordScan(registered(), input));
    expect(recordScan(once, input)).toEqual({ kind: "unchanged", reason: "duplicate", state: once });
  });

  it("treats an identical result under another event id as a duplicate", () => {
    const once = stateOf(recordScan(registered(), scan(AMD64, "COMPLETE", 1, { eventId: "a" })));
    expect(recordScan(once, scan(AMD64, "COMPLETE", 1, { eventId: "b" }))).toMatchObject({
      kind: "unchanged",
      reason: "duplicate",
    });
  });

  it("recognises a redelivery by content after its id left the bounded history", () => {
    let state = stateOf(recordScan(registered(), scan(AMD64, "COMPLETE", 0, { eventId: "first" })));
    for (let i = 1; i <= EVENT_HISTORY_LIMIT; i++) {
      state = stateOf(recordScan(state, scan(ARM64, "IN_PROGRESS", i, { eventId: `p${i}` })));
    }
    expect(state.seenEvents).toHaveLength(EVENT_HISTORY_LIMIT);
    expect(state.seenEvents).not.toContain("first");
    expect(recordScan(state, scan(AMD64, "COMPLETE", 0, { eventId: "first" }))).toMatchObject({
      kind: "unchanged",
      reason: "duplicate",
    });
  });

  it("ignores a pending status that arrives after the completed scan (reordering)", () => {
    const done = stateOf(recordScan(registered(), scan(AMD64, "COMPLETE", 5)));
    expect(recordScan(done, scan(AMD64, "IN_PROGRESS", 1))).toMatchObject({
      kind: "unchanged",
      reason: "stale",
    });
    expect(recordScan(done, scan(AMD64, "IN_PROGRESS", 9))).toMatchObject({
      kind: "unchanged",
      reason: "stale",
    });
  });

  it("moves a child from pending to terminal", () => {
    const pending = stateOf(recordScan(registered(), scan(AMD64, "IN_PROGRESS", 1)));
    const done = stateOf(recordScan(pending, scan(AMD64, "COMPLETE", 2)));
    expect(done.scans[AMD64]?.status).toBe("COMPLETE");
    expect(done.version).toBe(pending.version + 1);
  });

  it("lets a newer rescan replace a FAILED result before the decision", () => {
    const failed = stateOf(recordScan(registered(), scan(AMD64, "FAILED", 1)));
    const rescanned = stateOf(recordScan(failed, scan(AMD64, "COMPLETE", 2)));
    expect(rescanned.scans[AMD64]?.status).toBe("COMPLETE");
    expect(recordScan(rescanned, scan(AMD64, "FAILED", 1, { eventId: "late" }))).toMatchObject({
      kind: "unchanged",
      reason: "stale",
    });
  });

  it("takes no scan once decided: the decision's inputs stay as they were", () => {
    let state = stateOf(recordScan(registered(), scan(AMD64, "COMPLETE", 1)));
    state = stateOf(recordScan(state, scan(ARM64, "COMPLETE", 1)));
    state = stateOf(decide(state, { outcome: "passed", reasons: {}, now: at(2) }));
    expect(recordScan(state, scan(ARM64, "COMPLETE", 3, { counts: { CRITICAL: 9 } }))).toMatchObject({
      kind: "unchanged",
      reason: "already-decided",
    });
  });

  it("rejects a scan of a digest that is not one of the platform children", () => {
    expect(recordScan(registered(), scan(ATTESTATION, "COMPLETE", 1))).toEqual({
      kind: "rejected",
      issues: [
        {
          field: "scan.digest",
          value: ATTESTATION,
          message: expect.stringContaining("linux/amd64, linux/arm64"),
        },
      ],
    });
  });

  it.each([
    ["digest", { digest: "sha256:abc" }],
    ["status", { status: "DONE" as never }],
    ["scanner", { scanner: "trivy" as never }],
    ["at", { at: "yesterday" }],
    ["eventId", { eventId: "" }],
    ["counts.HIGH", { counts: { HIGH: -1 } }],
    ["counts.SEVERE", { counts: { SEVERE: 1 } as never }],
  ])("rejects a scan with a bad %s, naming it", (field, overrides) => {
    const result = recordScan(registered(), { ...scan(AMD64, "COMPLETE", 1), ...overrides });
    expect(result.kind === "rejected" && result.issues.map((issue) => issue.field)).toEqual([
      `scan.${field}`,
    ]);
  });

  it("accepts an ISO string time and stores it normalised to UTC", () => {
    const state = stateOf(
      recordScan(registered(), { ...scan(AMD64, "COMPLETE", 1), at: "2026-03-01T12:01:00+02:00" }),
    );
    expect(state.scans[AMD64]?.at).toBe(new Date(T0.getTime() + 60_000).toISOString());
  });
});
