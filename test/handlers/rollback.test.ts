import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { promoteCandidate } from "../../src/handlers/effects/promoteCandidate.ts";
import { createReportHandler } from "../../src/handlers/report/createReportHandler.ts";
import { RollbackRefusedError, rollbackRelease } from "../../src/handlers/rollback/rollbackRelease.ts";
import type { RegistryClient } from "../../src/registry/index.ts";
import { pushTestImage, randomImage } from "../support/testImages.ts";
import { RecordingLog, RecordingMetrics } from "./support/recorders.ts";
import {
  COMMIT_A,
  clients,
  PRIMARY,
  REPLICA,
  startRollbackServices,
  stopRollbackServices,
  type World,
  world,
} from "./support/rollbackWorld.ts";

beforeAll(startRollbackServices);
afterAll(stopRollbackServices);

const order = { reason: "p99 latency doubled", by: "alice", force: false } as const;

describe("rollbackRelease", () => {
  let w: World;
  beforeEach(async () => {
    w = await world();
  });

  it("moves the floating tags back to the previous release in every region, read back, and reports it", async () => {
    const outcome = await rollbackRelease(w.ctx, {
      ...order,
      repository: w.repository,
      to: { kind: "previous" },
    });
    const digestA = w.a.key.digest;
    expect(outcome.to).toBe(digestA);
    expect(outcome.tags).toEqual(["latest", "1"]);
    expect(outcome.regions.map((r) => [r.region, r.kind])).toEqual([
      [PRIMARY, "moved"],
      [REPLICA, "moved"],
    ]);
    for (const region of [PRIMARY, REPLICA]) {
      expect(await w.tagIn(region, "latest")).toBe(digestA);
      expect(await w.tagIn(region, "1")).toBe(digestA);
      expect(await w.tagIn(region, "1.1")).toBe(w.b.key.digest);
    }
    const history = await w.store.getTagHistory({ region: PRIMARY, repository: w.repository }, "latest");
    expect(history.entries.at(-1)).toMatchObject({
      digest: digestA,
      cause: "rollback",
      by: "alice",
      reason: order.reason,
    });
    expect(w.notifications.sent.map((n) => (n.body as { kind: string }).kind)).toEqual([
      "release-rolled-back",
    ]);
    expect(w.events.of("Release Rolled Back").map((e) => e.detail)).toEqual([
      expect.objectContaining({
        candidate: w.a.key,
        tags: ["latest", "1"],
        from: { latest: w.b.key.digest, "1": w.b.key.digest },
        by: "alice",
        reason: order.reason,
        forced: false,
      }),
    ]);
    const report = createReportHandler({
      store: w.store,
      github: async () => undefined,
      clock: w.clock,
      log: new RecordingLog(),
      metrics: new RecordingMetrics(),
      settings: { account: "123456789012", regions: [PRIMARY], repositories: [w.repository] },
    });
    const rendered = await report(w.events.of("Release Rolled Back")[0]);
    expect(rendered).toMatchObject({
      kind: "rendered",
      checkRun: { title: "Rolled back here: latest, 1" },
      // Without a GitHub App, the commit status of the rolled-back-to commit says so too.
      commitStatus: {
        state: "success",
        description: `Rolled back here: latest, 1 by alice: ${order.reason}`,
        context: `portcullis/${w.repository}`,
      },
    });
    expect(w.notifications.sent[0]?.body).toMatchObject({
      git: { commit: COMMIT_A, ref: "refs/tags/v1.0.0" },
      from: { latest: w.b.key.digest, "1": w.b.key.digest },
    });
  });

  it("is idempotent by digest, and refuses to roll `previous` back twice", async () => {
    const to = { kind: "digest", digest: w.a.key.digest } as const;
    await rollbackRelease(w.ctx, { ...order, repository: w.repository, to });
    const again = await rollbackRelease(w.ctx, {
      ...order,
      repository: w.repository,
      to,
      tags: ["latest", "1"],
    });
    for (const region of again.regions)
      expect(region.kind === "moved" && region.moves.map((m) => m.kind)).toEqual(["unchanged", "unchanged"]);
    await expect(
      rollbackRelease(w.ctx, {
        ...order,
        repository: w.repository,
        to: { kind: "previous" },
        tags: ["latest"],
      }),
    ).rejects.toThrow(/latest was already rolled back/);
  });

  it("keeps a late promotion of the rolled-back release from moving the floating tags back", async () => {
    await rollbackRelease(w.ctx, { ...order, repository: w.repository, to: { kind: "previous" } });
    w.clock.advance(1);
    const moves = await promoteCandidate({ ...w.ctx, settings: w.ctx.settings }, w.b);
    expect(moves.map((m) => m.tag)).not.toContain("latest");
    expect(await w.tagIn(PRIMARY, "latest")).toBe(w.a.key.digest);
    expect(await w.tagIn(PRIMARY, "1")).toBe(w.a.key.digest);
  });

  it("refuses a digest Portcullis never promoted (nothing moves); --force moves it and says so", async () => {
    const stray = await randomImage([256]);
    for (const client of Object.values(clients)) await pushTestImage(client, w.repository, stray);
    const to = { kind: "digest", digest: stray.root.digest } as const;
    const refused = await rollbackRelease(w.ctx, { ...order, repository: w.repository, to }).catch((e) => e);
    expect(refused).toBeInstanceOf(RollbackRefusedError);
    expect(refused.message).toContain(`--to "${stray.root.digest}" is not a release Portcullis knows`);
    expect(await w.tagIn(PRIMARY, "latest")).toBe(w.b.key.digest);
    const forced = await rollbackRelease(w.ctx, { ...order, repository: w.repository, to, force: true });
    expect(forced.forced.map((f) => f.field)).toEqual(["--to", "--tags", "--tags", "--tags"]);
    expect(await w.tagIn(REPLICA, "latest")).toBe(stray.root.digest);
    const history = await w.store.getTagHistory({ region: PRIMARY, repository: w.repository }, "latest");
    expect(history.entries.at(-1)).toMatchObject({ forced: true });
  });

  it("refuses a release that no longer passes the policy", async () => {
    w.findings.set(w.repository, w.a.key.digest, "vulnerable");
    await expect(
      rollbackRelease(w.ctx, { ...order, repository: w.repository, to: { kind: "previous" } }),
    ).rejects.toThrow(/no longer passes the policy/);
    expect(await w.tagIn(PRIMARY, "latest")).toBe(w.b.key.digest);
  });

  it("refuses, moving nothing anywhere, when a region is down or lacks the digest", async () => {
    w.directory.down.add(REPLICA);
    const down = await rollbackRelease(w.ctx, {
      ...order,
      repository: w.repository,
      to: { kind: "previous" },
    }).catch((e) => e);
    expect(down).toBeInstanceOf(RollbackRefusedError);
    expect(down.kind).toBe("region");
    expect(down.message).toContain(`region "${REPLICA}"`);
    expect(await w.tagIn(PRIMARY, "latest")).toBe(w.b.key.digest);
    w.directory.down.clear();
    const onlyPrimary = await randomImage([256]);
    await pushTestImage(clients[PRIMARY] as RegistryClient, w.repository, onlyPrimary);
    const to = { kind: "digest", digest: onlyPrimary.root.digest } as const;
    await expect(
      rollbackRelease(w.ctx, { ...order, repository: w.repository, to, force: true }),
    ).rejects.toThrow(`is not in ${REPLICA}'s registry`);
    expect(await w.tagIn(PRIMARY, "latest")).toBe(w.b.key.digest);
    const history = await w.store.getTagHistory({ region: PRIMARY, repository: w.repository }, "latest");
    expect(history.entries.every((e) => e.cause === undefined)).toBe(true);
  });

  it("names an unknown repository", async () => {
    await expect(
      rollbackRelease(w.ctx, { ...order, repository: "team/nope", to: { kind: "previous" } }),
    ).rejects.toThrow(/REPOSITORY "team\/nope" is not a configured repository/);
  });
});
