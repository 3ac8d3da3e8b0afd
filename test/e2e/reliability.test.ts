import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EcrEvents } from "../../src/local/pipeline/runScenario.ts";
import type { WiredPipeline } from "../../src/local/pipeline/wirePipeline.ts";
import { countPublished, type E2eHarness, skopeoDigest, skopeoTags, startHarness } from "./harness.ts";

/** A deterministic shuffle (mulberry32), so a failure can be replayed. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  let state = seed;
  const random = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

const quickRetry = { retries: 1, baseDelayMs: 5, maxDelayMs: 10, maxRetryAfterMs: 0 };
const fastRetries = {
  bus: { maxAttempts: 2, retryDelayMs: 5 },
  replicate: { retry: quickRetry },
  registryRetry: quickRetry,
};

/** EventBridge is best effort: duplicates, reordering, loss; registries go down. The pipeline must not care. */
describe("local pipeline under unreliable delivery (e2e)", () => {
  let harness: E2eHarness;

  beforeAll(async () => {
    harness = await startHarness();
  });

  afterAll(async () => {
    await harness?.stop();
  });

  it.each([1, 2, 3])(
    "gives one decision and one promotion when every event arrives twice, shuffled (seed %i)",
    async (seed) => {
      const repository = `e2e/duplicates-${seed}`;
      const report = await harness.run("pass", repository, {
        arrange: ({ push, scans }: EcrEvents) => shuffled([push, push, ...scans, ...scans], seed),
      });

      expect(report.problems).toEqual([]);
      expect(countPublished(report, "Candidate Registered")).toBe(1);
      expect(countPublished(report, "Release Decided")).toBe(1);
      expect(countPublished(report, "Image Promoted")).toBe(1);
      expect(countPublished(report, "Image Replicated")).toBe(2);
      expect(report.reports).toHaveLength(1);
      expect(report.notifications.map((n) => n.what)).toEqual([expect.stringMatching(/^Promoted: /)]);
      for (const registry of harness.services.registries)
        expect(await skopeoDigest(`${registry.host}/${repository}:main`)).toBe(report.image.digest);
    },
  );

  it.each([4, 5])(
    "never promotes while the listed findings lag the scan's count, whatever the order and duplicates (seed %i)",
    async (seed) => {
      const report = await harness.run("findings-lag", `e2e/lag-${seed}`, {
        arrange: ({ push, scans }: EcrEvents) => shuffled([push, ...scans, push, ...scans, ...scans], seed),
      });

      expect(report.problems).toEqual([]);
      expect(report.decision?.outcome).toBe("failed");
      expect(countPublished(report, "Release Decided")).toBe(1);
      expect(countPublished(report, "Image Promoted")).toBe(0);
      expect(report.notifications.map((n) => n.what)).toEqual([expect.stringMatching(/^Rejected: /)]);
      for (const registry of harness.services.registries)
        expect(await skopeoTags(`${registry.host}/e2e/lag-${seed}`)).not.toContain("main");
    },
  );

  it("passes an image ECR cannot scan once by its exception, whatever the order and duplicates", async () => {
    const repository = "portcullis/e2e-unsupported-twice";
    const report = await harness.run("unsupported", repository, {
      arrange: ({ push, scans }: EcrEvents) => shuffled([...scans, push, ...scans, push], 6),
    });

    expect(report.problems).toEqual([]);
    expect(countPublished(report, "Release Decided")).toBe(1);
    expect(countPublished(report, "Image Promoted")).toBe(1);
    for (const registry of harness.services.registries)
      expect(await skopeoDigest(`${registry.host}/${repository}:main`)).toBe(report.image.digest);
  });

  it("decides a rejection once when the scans arrive before the push and twice over", async () => {
    const report = await harness.run("fail", "e2e/duplicates-fail", {
      arrange: ({ push, scans }: EcrEvents) => [...scans, ...scans.toReversed(), push, push],
    });

    expect(report.problems).toEqual([]);
    expect(report.decision?.outcome).toBe("failed");
    expect(countPublished(report, "Release Decided")).toBe(1);
    expect(countPublished(report, "Image Promoted")).toBe(0);
    expect(report.reports).toHaveLength(1);
    expect(report.notifications.map((n) => n.what)).toEqual([expect.stringMatching(/^Rejected: /)]);
  });

  it("recovers a lost scan event through the scheduled reconciler polling the findings", async () => {
    const repository = "e2e/lost-scan";
    const report = await harness.run("pass", repository, {
      arrange: ({ push, scans }: EcrEvents) => [push, ...scans.slice(0, 1)],
    });

    expect(report.problems).toEqual([]);
    expect(report.reconcileRuns).toBeGreaterThanOrEqual(1);
    expect(report.decision?.outcome).toBe("passed");
    expect(countPublished(report, "Release Decided")).toBe(1);
    for (const registry of harness.services.registries)
      expect(await skopeoDigest(`${registry.host}/${repository}:main`)).toBe(report.image.digest);
  });

  it("fails closed when a platform's scan never finishes, once the policy's timeout has passed", async () => {
    const folder = await mkdtemp(join(tmpdir(), "portcullis-pending-"));
    try {
      const pass = new URL("../../examples/findings/pass/", import.meta.url).pathname;
      const { cp } = await import("node:fs/promises");
      await cp(join(pass, "linux-amd64.json"), join(folder, "linux-amd64.json"));
      await writeFile(
        join(folder, "linux-arm64.json"),
        JSON.stringify({ imageScanStatus: { status: "IN_PROGRESS" } }),
      );
      const report = await harness.run({ folder }, "e2e/never-scanned");

      expect(report.problems).toEqual([]);
      expect(report.decision?.outcome).toBe("timed-out");
      expect(report.reconcileRuns).toBeGreaterThanOrEqual(12);
      // Beside the build tag, only the referrers tag listing the signed (FAILED) summary.
      expect(await skopeoTags(`${harness.services.primary.host}/e2e/never-scanned`)).toEqual(
        [report.image.buildTag, `sha256-${report.image.digest.slice(7)}`].sort(),
      );
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it("reports a replica registry that is down while replicating, and replicates on a retry once it is back", async () => {
    const repository = "e2e/replica-down";
    const replica = harness.services.registry("eu-west-1");
    let wired: WiredPipeline | undefined;
    const report = await harness.run("pass", repository, {
      maxTicks: 0,
      wiring: fastRetries,
      onWired: async (pipeline) => {
        wired = pipeline;
        await replica.stop();
      },
    });
    try {
      expect(report.decision?.outcome).toBe("passed");
      expect(report.replicas["eu-west-1"]?.status).toBe("failed");
      expect(report.replicas["ap-southeast-2"]?.status).toBe("replicated");
      expect(report.problems).toContainEqual(expect.stringMatching(/^replication to eu-west-1 failed/));
      // One "Replication Failed" per failed attempt (the bus tried twice), one notification for the region.
      expect(report.replicas["eu-west-1"]?.attempts).toBe(2);
      expect(countPublished(report, "Replication Failed")).toBe(2);
      expect(report.notifications.map((n) => n.what)).toEqual([
        expect.stringMatching(/^Promoted: /),
        expect.stringMatching(/eu-west-1/),
      ]);
      expect(wired?.pipeline.parts.bus.deadLetters.map((letter) => letter.rule)).toEqual(["replicate"]);
    } finally {
      await replica.restart();
    }
    expect(await skopeoTags(`${replica.host}/${repository}`)).toEqual([]);

    // The operator's DLQ redrive, once the region is back.
    const pipeline = wired?.pipeline;
    expect(pipeline?.parts.bus.redrive()).toBe(1);
    await pipeline?.settle();
    const state = await pipeline?.candidate(report.image.digest);
    expect(state?.phase === "promoted" && state.replicas["eu-west-1"]?.status).toBe("replicated");
    expect(pipeline?.parts.bus.deadLetters).toEqual([]);
    expect(await skopeoDigest(`${replica.host}/${repository}:main`)).toBe(report.image.digest);
  });
});
