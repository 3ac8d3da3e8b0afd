import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Digest } from "../../src/core/digest.ts";
import { type CandidateKey, createTable, DynamoReleaseStore } from "../../src/store/index.ts";
import { type DynaliteHandle, startDynalite } from "../support/startDynalite.ts";

interface TestState {
  key: CandidateKey;
  version: number;
  phase: string;
  due?: string;
  note?: string;
}

const digest = (n: number): Digest => `sha256:${n.toString(16).padStart(64, "0")}`;
const key = (n: number, repository = "team/app"): CandidateKey => ({
  region: "eu-west-1",
  repository,
  digest: digest(n),
});

describe("DynamoReleaseStore over dynalite", () => {
  let dynamo: DynaliteHandle;
  let store: DynamoReleaseStore<TestState, { status: string }>;

  beforeAll(async () => {
    dynamo = await startDynalite();
    expect(await createTable(dynamo.client, "state")).toBe("created");
    expect(await createTable(dynamo.client, "state")).toBe("exists");
    store = new DynamoReleaseStore({
      client: dynamo.client,
      tableName: "state",
      indexing: (s) => ({ phase: s.phase, due: s.due }),
    });
  });
  afterAll(async () => dynamo?.stop());

  it("creates a candidate once and reads it back as stored", async () => {
    const state: TestState = { key: key(1), version: 1, phase: "scanning", note: "first" };
    expect(await store.createCandidate(state)).toBe("created");
    expect(await store.createCandidate({ ...state, note: "second" })).toBe("exists");
    expect(await store.getCandidate(key(1))).toEqual(state);
    expect(await store.getCandidate(key(999))).toBeUndefined();
  });

  it("saves only on top of the version it was derived from", async () => {
    await store.createCandidate({ key: key(2), version: 1, phase: "scanning" });
    expect(await store.saveCandidate({ key: key(2), version: 2, phase: "decided" })).toBe("saved");
    expect(await store.saveCandidate({ key: key(2), version: 2, phase: "other" })).toBe("conflict");
    expect(await store.saveCandidate({ key: key(2), version: 4, phase: "skipped" })).toBe("conflict");
    expect((await store.getCandidate(key(2)))?.phase).toBe("decided");
  });

  it("lets exactly one of many racing saves of the same version win", async () => {
    await store.createCandidate({ key: key(3), version: 1, phase: "scanning" });
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        store.saveCandidate({ key: key(3), version: 2, phase: "decided", note: `writer ${i}` }),
      ),
    );
    expect(results.filter((r) => r === "saved")).toHaveLength(1);
    const winner = results.indexOf("saved");
    expect((await store.getCandidate(key(3)))?.note).toBe(`writer ${winner}`);
  });

  it("links a platform image to every index that contains it, idempotently", async () => {
    const image = key(100);
    await store.linkImage(image, key(10));
    await store.linkImage(image, key(10));
    await store.linkImage(image, key(11));
    const candidates = await store.candidatesOf(image);
    expect(candidates.map((c) => c.digest).sort()).toEqual([digest(10), digest(11)]);
    expect(await store.candidatesOf(key(101))).toEqual([]);
  });

  it("keeps the newest scan of an image and ignores an older one that arrives late", async () => {
    const image = key(200);
    expect(await store.putImageScan(image, { status: "COMPLETE" }, "2026-11-25T10:00:00.000Z")).toBe(
      "stored",
    );
    expect(await store.putImageScan(image, { status: "IN_PROGRESS" }, "2026-11-25T09:59:00.000Z")).toBe(
      "older",
    );
    const scans = await store.imageScans([image, key(201)]);
    expect(scans.get(digest(200))).toEqual({ status: "COMPLETE" });
    expect(scans.has(digest(201))).toBe(false);
  });

  it("reads more scans than one BatchGetItem allows", async () => {
    const images = Array.from({ length: 130 }, (_, i) => key(1000 + i, "batch/app"));
    await Promise.all(
      images.map((image, i) => store.putImageScan(image, { status: `S${i}` }, "2026-01-01T00:00:00Z")),
    );
    const scans = await store.imageScans(images);
    expect(scans.size).toBe(130);
    expect(scans.get(digest(1129))).toEqual({ status: "S129" });
  });

  it("lists candidates of a phase that are due, and leaves out those awaiting nothing", async () => {
    await store.createCandidate({ key: key(20), version: 1, phase: "waiting", due: "2026-11-25T10:00:00Z" });
    await store.createCandidate({ key: key(21), version: 1, phase: "waiting", due: "2026-11-25T12:00:00Z" });
    await store.createCandidate({ key: key(22), version: 1, phase: "waiting" });
    const due = await store.candidatesDue("waiting", "2026-11-25T11:00:00Z");
    expect(due.map((k) => k.digest)).toEqual([digest(20)]);
    await store.saveCandidate({ key: key(20), version: 2, phase: "done" });
    expect(await store.candidatesDue("waiting", "2026-11-25T11:00:00Z")).toEqual([]);
  });

  describe("side-effect claims", () => {
    const now = new Date("2026-11-25T10:00:00Z");

    it("grants a claim once, then reports done with the result", async () => {
      expect(await store.claimEffect(key(30), "slack", { now, leaseSeconds: 60 })).toEqual({
        kind: "claimed",
        attempt: 1,
      });
      expect(await store.claimEffect(key(30), "slack", { now, leaseSeconds: 60 })).toMatchObject({
        kind: "busy",
      });
      await store.completeEffect(key(30), "slack", { ts: "123.456" });
      expect(await store.claimEffect(key(30), "slack", { now, leaseSeconds: 60 })).toEqual({
        kind: "done",
        result: { ts: "123.456" },
      });
    });

    it("lets a retry claim again after a release or after the lease runs out, never after done", async () => {
      await store.claimEffect(key(31), "check", { now, leaseSeconds: 60 });
      await store.releaseEffect(key(31), "check");
      expect(await store.claimEffect(key(31), "check", { now, leaseSeconds: 60 })).toMatchObject({
        kind: "claimed",
      });
      const later = new Date(now.getTime() + 61_000);
      expect(await store.claimEffect(key(31), "check", { now: later, leaseSeconds: 60 })).toEqual({
        kind: "claimed",
        attempt: 2,
      });
      await store.completeEffect(key(31), "check");
      await store.releaseEffect(key(31), "check");
      expect(await store.claimEffect(key(31), "check", { now: later, leaseSeconds: 60 })).toMatchObject({
        kind: "done",
      });
    });

    it("grants exactly one of many concurrent claims", async () => {
      const claims = await Promise.all(
        Array.from({ length: 10 }, () => store.claimEffect(key(32), "promote", { now, leaseSeconds: 60 })),
      );
      expect(claims.filter((c) => c.kind === "claimed")).toHaveLength(1);
      expect(claims.filter((c) => c.kind === "busy")).toHaveLength(9);
    });
  });
});
