import { describe, expect, it } from "vitest";
import type { ScanStatus } from "../../src/core/scanStatus.ts";
import { emptySeverityCounts } from "../../src/core/severity.ts";
import type { ScanRecord } from "../../src/release/Candidate.ts";
import { pickScan } from "../../src/release/pickScan.ts";

function record(status: ScanStatus, minute: number, eventId = `e${minute}`, high = 0): ScanRecord {
  const at = `2026-03-01T10:${String(minute).padStart(2, "0")}:00.000Z`;
  return { status, counts: { ...emptySeverityCounts(), HIGH: high }, scanner: "basic", at, eventId };
}

describe("pickScan", () => {
  it.each([
    ["a first result", undefined, record("IN_PROGRESS", 1), "incoming"],
    ["terminal after pending", record("IN_PROGRESS", 1), record("COMPLETE", 2), "incoming"],
    [
      "terminal after a later pending (reordered)",
      record("IN_PROGRESS", 5),
      record("COMPLETE", 2),
      "incoming",
    ],
    ["pending after terminal, even if newer", record("COMPLETE", 2), record("IN_PROGRESS", 5), "current"],
    ["a newer terminal after FAILED (a rescan)", record("FAILED", 1), record("COMPLETE", 2), "incoming"],
    ["an older terminal after a newer one", record("COMPLETE", 2), record("FAILED", 1), "current"],
    [
      "a newer scan with more findings",
      record("COMPLETE", 1, "a", 0),
      record("COMPLETE", 2, "b", 3),
      "incoming",
    ],
    [
      "the failing status at the same time",
      record("COMPLETE", 2, "z"),
      record("UNSUPPORTED_IMAGE", 2, "a"),
      "incoming",
    ],
    ["the passing status at the same time", record("FAILED", 2, "a"), record("COMPLETE", 2, "z"), "current"],
    [
      "more findings at the same time",
      record("COMPLETE", 2, "b", 1),
      record("COMPLETE", 2, "a", 2),
      "incoming",
    ],
    [
      "fewer findings at the same time",
      record("COMPLETE", 2, "a", 2),
      record("COMPLETE", 2, "b", 1),
      "current",
    ],
    ["the greater event id at a tie", record("COMPLETE", 2, "a", 1), record("ACTIVE", 2, "b", 1), "incoming"],
    ["the smaller event id at a tie", record("COMPLETE", 2, "b", 1), record("ACTIVE", 2, "a", 1), "current"],
    [
      "the status name when even the event id ties",
      record("ACTIVE", 2, "a"),
      record("COMPLETE", 2, "a"),
      "incoming",
    ],
    [
      "an identical result under another id",
      record("COMPLETE", 2, "a"),
      record("COMPLETE", 2, "b"),
      "identical",
    ],
    ["a newer pending after pending", record("PENDING", 1), record("IN_PROGRESS", 2), "incoming"],
  ] as const)("keeps the right one for %s", (_title, current, incoming, expected) => {
    expect(pickScan(current, incoming)).toBe(expected);
  });

  it("is antisymmetric: swapping two different results swaps the answer", () => {
    const statuses: ScanStatus[] = ["IN_PROGRESS", "COMPLETE", "FAILED", "ACTIVE"];
    const records = statuses.flatMap((status) =>
      [1, 2].flatMap((minute) =>
        ["a", "b"].flatMap((id) => [0, 1].map((high) => record(status, minute, id, high))),
      ),
    );
    for (const a of records) {
      for (const b of records) {
        if (a === b) continue;
        const ab = pickScan(a, b);
        const ba = pickScan(b, a);
        if (ab === "identical") expect(ba).toBe("identical");
        else expect(ba).toBe(ab === "incoming" ? "current" : "incoming");
      }
    }
  });
});
