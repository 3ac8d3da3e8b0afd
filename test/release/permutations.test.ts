import { describe, expect, it } from "vitest";
import { MediaType } from "../../src/core/mediaTypes.ts";
import { isTerminalScanStatus, type ScanStatus } from "../../src/core/scanStatus.ts";
import type { Candidate, ScanRecord } from "../../src/release/Candidate.ts";
import type { ScanInput } from "../../src/release/parseScan.ts";
import { readyToDecide } from "../../src/release/readyToDecide.ts";
import { recordScan } from "../../src/release/recordScan.ts";
import { registerCandidate } from "../../src/release/registerCandidate.ts";
import { digest, registration, roundTrip, scan, stateOf } from "./fixtures.ts";

/** mulberry32: a tiny seeded PRNG, so every run sees the same "random" cases. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

const CHILDREN = [digest(0xc1), digest(0xc2), digest(0xc3)];
const STATUSES: ScanStatus[] = [
  "PENDING",
  "IN_PROGRESS",
  "COMPLETE",
  "ACTIVE",
  "FAILED",
  "UNSUPPORTED_IMAGE",
];

/** A random set of distinct events for three children, some redelivered up to twice more. */
function events(random: () => number): ScanInput[] {
  const distinct: ScanInput[] = [];
  for (const [c, child] of CHILDREN.entries()) {
    const count = Math.floor(random() * 4); // a child may get no event at all
    for (let i = 0; i < count; i++) {
      const status = STATUSES[Math.floor(random() * STATUSES.length)] ?? "COMPLETE";
      const minute = Math.floor(random() * 5); // same-minute ties are frequent on purpose
      const high = Math.floor(random() * 3);
      distinct.push(scan(child, status, minute, { eventId: `c${c}-e${i}`, counts: { HIGH: high } }));
    }
  }
  return distinct.flatMap((event) => Array.from({ length: 1 + Math.floor(random() * 3) }, () => event));
}

function start(earlierScans: readonly ScanInput[]): Candidate {
  const children = CHILDREN.map((d, i) => ({
    digest: d,
    platform: `linux/arch${i}`,
    mediaType: MediaType.OciManifest,
  }));
  return stateOf(registerCandidate(registration({ children, earlierScans })));
}

/** Delivers events in order; a random prefix was recorded before registration, states go through JSON. */
function deliver(order: readonly ScanInput[], random: () => number): Candidate {
  const split = Math.floor(random() * (order.length + 1));
  let state = start(order.slice(0, split));
  for (const event of order.slice(split)) {
    const result = recordScan(state, event);
    expect(result.kind).not.toBe("rejected");
    if (result.kind === "changed") state = roundTrip(result.state);
  }
  return state;
}

/**
 * The kept result per child, without its event id: two distinct events with identical results are one
 * "duplicate" (unchanged, no write), so which of their ids is kept depends on arrival. Everything the
 * gate decides on (status, counts, scanner, time) must not.
 */
function results(state: Candidate): Record<string, Omit<ScanRecord, "eventId">> {
  return Object.fromEntries(
    Object.entries(state.scans).map(([d, { eventId: _id, ...result }]) => [d, result]),
  );
}

describe("scan events in any order, with duplicates", () => {
  it.each(Array.from({ length: 40 }, (_, i) => i + 1))(
    "end in the same scans and readiness (seed %i, 25 permutations)",
    (seed) => {
      const random = prng(seed);
      const set = events(random);
      const reference = deliver(set, () => 0);
      for (let p = 0; p < 25; p++) {
        const state = deliver(shuffle(set, random), random);
        expect(results(state)).toEqual(results(reference));
        expect(readyToDecide(state)).toBe(readyToDecide(reference));
      }
      for (const child of CHILDREN) {
        const statuses = set.filter((e) => e.digest === child).map((e) => e.status);
        const kept = reference.scans[child];
        expect(kept === undefined).toBe(statuses.length === 0);
        if (statuses.some(isTerminalScanStatus)) expect(kept && isTerminalScanStatus(kept.status)).toBe(true);
      }
    },
  );
});
