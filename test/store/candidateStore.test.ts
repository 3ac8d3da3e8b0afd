import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Digest } from "../../src/core/digest.ts";
import type { ScanRecord } from "../../src/release/Candidate.ts";
import { decide } from "../../src/release/decide.ts";
import { markPromoted } from "../../src/release/markPromoted.ts";
import { recordScan } from "../../src/release/recordScan.ts";
import {
  type CandidateStore,
  createReleaseStore,
  createTable,
  headOf,
  keepImageScan,
  TAG_HISTORY_LIMIT,
  updateTagHistory,
} from "../../src/store/index.ts";
import { AMD64, ARM64, at, key, registered, scan, stateOf, T0 } from "../release/fixtures.ts";
import { type DynaliteHandle, startDynalite } from "../support/startDynalite.ts";

const digest = (n: number): Digest => `sha256:${n.toString(16).padStart(64, "0")}`;
const record = (
  status: ScanRecord["status"],
  minute: number,
  eventId = `e-${status}-${minute}`,
): ScanRecord => ({
  status,
  counts: { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, INFORMATIONAL: 0, UNDEFINED: 0 },
  scanner: "basic",
  at: at(minute).toISOString(),
  eventId,
});

describe("the candidate store over dynalite", () => {
  let dynamo: DynaliteHandle;
  let store: CandidateStore;

  beforeAll(async () => {
    dynamo = await startDynalite();
    await createTable(dynamo.client, "release");
    store = createReleaseStore({ client: dynamo.client, tableName: "release", pollAfterMinutes: 10 });
  });
  afterAll(async () => dynamo?.stop());

  describe("reconciler index", () => {
    it("lists a scanning candidate once it has waited pollAfterMinutes, not before", async () => {
      const state = registered({ key: { ...key, digest: digest(1) } });
      await store.createCandidate(state);
      expect(await store.candidatesDue("scanning", at(9).toISOString())).toEqual([]);
      expect(await store.candidatesDue("scanning", at(10).toISOString())).toEqual([state.key]);
    });

    it("lists a scanning candidate at its deadline when that comes before the poll time", async () => {
      const state = registered({ key: { ...key, digest: digest(2) }, timeoutMinutes: 3 });
      await store.createCandidate(state);
      const due = await store.candidatesDue("scanning", at(3).toISOString());
      expect(due).toContainEqual(state.key);
    });

    it("keeps a decided candidate listed until it is settled at its current version", async () => {
      const k = { ...key, digest: digest(3) };
      let state = registered({ key: k });
      await store.createCandidate(state);
      for (const s of [scan(AMD64, "COMPLETE", 1), scan(ARM64, "COMPLETE", 2)]) {
        state = stateOf(recordScan(state, s));
        expect(await store.saveCandidate(state)).toBe("saved");
      }
      state = stateOf(decide(state, { outcome: "passed", reasons: null, now: at(3) }));
      expect(await store.saveCandidate(state)).toBe("saved");
      expect(await store.candidatesDue("decided", at(3).toISOString())).toContainEqual(k);
      expect(await store.settleCandidate(k, state.version - 1)).toBe("changed");
      expect(await store.candidatesDue("decided", at(3).toISOString())).toContainEqual(k);
      expect(await store.settleCandidate(k, state.version)).toBe("settled");
      expect(await store.candidatesDue("decided", at(60).toISOString())).not.toContainEqual(k);
      expect((await store.getCandidate(k))?.phase).toBe("decided");

      state = stateOf(markPromoted(state, { tags: ["main"], now: at(4) }));
      expect(await store.saveCandidate(state)).toBe("saved");
      expect(await store.candidatesDue("promoted", at(4).toISOString())).toContainEqual(k);
    });
  });

  describe("image scans", () => {
    const image = { region: "us-east-1", repository: "team/app", digest: digest(100) };

    it("keeps a terminal scan over a later pending one, and the newer of two terminal ones", async () => {
      expect(await keepImageScan(store, image, record("IN_PROGRESS", 1))).toBe("stored");
      expect(await keepImageScan(store, image, record("COMPLETE", 2))).toBe("stored");
      expect(await keepImageScan(store, image, record("IN_PROGRESS", 3))).toBe("kept-current");
      expect(await keepImageScan(store, image, record("COMPLETE", 2, "redelivered"))).toBe("duplicate");
      expect((await store.getImageScan(image))?.scan.status).toBe("COMPLETE");
      expect(await keepImageScan(store, image, record("FAILED", 4))).toBe("stored");
      const scans = await store.imageScans([image]);
      expect(scans.get(image.digest)?.status).toBe("FAILED");
    });

    it("converges on the same scan whichever of many concurrent writers lands first", async () => {
      const hot = { ...image, digest: digest(101) };
      const records = [
        record("IN_PROGRESS", 1),
        record("COMPLETE", 2),
        record("IN_PROGRESS", 5),
        record("FAILED", 2),
        record("COMPLETE", 3),
      ];
      await Promise.all(records.map((r) => keepImageScan(store, hot, r, { maxAttempts: 20 })));
      expect((await store.getImageScan(hot))?.scan).toEqual(record("COMPLETE", 3));
    });

    it("refuses a replacement written against a stale revision", async () => {
      const other = { ...image, digest: digest(102) };
      expect(await store.replaceImageScan(other, record("COMPLETE", 1), at(1).toISOString(), 0)).toBe(
        "stored",
      );
      expect(await store.replaceImageScan(other, record("FAILED", 2), at(2).toISOString(), 0)).toBe(
        "conflict",
      );
      expect(await store.getImageScan(other)).toMatchObject({ revision: 1, scan: { status: "COMPLETE" } });
    });
  });

  describe("tag history", () => {
    const repository = { region: "us-east-1", repository: "team/history" };

    it("records each promotion once and falls back past demoted digests", async () => {
      for (const n of [1, 2, 2, 3]) await updateTagHistory(store, repository, "main", promoted(n), T0);
      let history = await store.getTagHistory(repository, "main");
      expect(history.entries.map((e) => e.digest)).toEqual([digest(1), digest(2), digest(3)]);

      const first = await updateTagHistory(store, repository, "main", demoted(3), at(1));
      expect(first).toEqual({ tag: "main", head: digest(2), previousHead: digest(3), written: true });
      const again = await updateTagHistory(store, repository, "main", demoted(3), at(2));
      expect(again).toMatchObject({ head: digest(2), written: false });
      await updateTagHistory(store, repository, "main", demoted(1), at(3));
      expect((await updateTagHistory(store, repository, "main", demoted(2), at(4))).head).toBeUndefined();
      history = await store.getTagHistory(repository, "main");
      expect(history.entries.every((e) => e.demotedAt !== undefined)).toBe(true);
    });

    it("keeps the newest entries only", async () => {
      for (let n = 1; n <= TAG_HISTORY_LIMIT + 5; n++)
        await updateTagHistory(store, repository, "busy", promoted(n), T0);
      const history = await store.getTagHistory(repository, "busy");
      expect(history.entries).toHaveLength(TAG_HISTORY_LIMIT);
      expect(headOf(history.entries)).toBe(digest(TAG_HISTORY_LIMIT + 5));
    });

    it("loses no promotion when several are recorded at once", async () => {
      await Promise.all(
        [1, 2, 3, 4].map((n) => updateTagHistory(store, repository, "race", promoted(n), T0)),
      );
      const history = await store.getTagHistory(repository, "race");
      expect(history.entries.map((e) => e.digest).sort()).toEqual([1, 2, 3, 4].map(digest));
    });
  });
});

function promoted(n: number) {
  return { kind: "promoted", digest: digest(n) } as const;
}

function demoted(n: number) {
  return { kind: "demoted", digest: digest(n) } as const;
}
