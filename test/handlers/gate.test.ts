import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ValidationError } from "../../src/core/index.ts";
import { createGateHandler, createRegisterHandler, type NotificationBody } from "../../src/handlers/index.ts";
import { rawSample } from "../events/awsSamples.ts";
import { ecrScanEvent, inspectorScanEvent, pushEvent } from "./support/events.ts";
import { type Harness, harness, type Services, startServices } from "./support/harness.ts";
import { commit, type PushedBuild, pushBuild } from "./support/images.ts";

let services: Services;
beforeAll(async () => {
  services = await startServices();
});
afterAll(async () => services?.stop());

let commits = 100;
/** A fresh build of `main` pushed to the registry and registered. */
async function registeredBuild(h: Harness, repository = "team/app"): Promise<PushedBuild> {
  const id = commit(commits++);
  const build = await pushBuild(services.client, repository, id, { revision: id, ref: "refs/heads/main" });
  await createRegisterHandler(h.deps)(pushEvent(repository, build.digest, build.tag));
  return build;
}

/** Asserts every side effect of a pass happened exactly once, and the tags are on the index as skopeo reads them. */
async function expectPromotedOnce(h: Harness, build: PushedBuild, repository = "team/app") {
  const state = await h.candidate(build.digest, repository);
  expect(state).toMatchObject({
    phase: "promoted",
    decision: { outcome: "passed" },
    promotion: { tags: ["main", "latest"] },
  });
  expect(state?.phase === "promoted" && state.replicas).toEqual({
    "eu-west-1": expect.objectContaining({ status: "pending" }),
  });
  expect(h.bus.of("Release Decided").map((e) => e.detail)).toEqual([
    expect.objectContaining({ outcome: "passed", reasons: [] }),
  ]);
  expect(h.bus.of("Image Promoted").map((e) => e.detail)).toEqual([
    expect.objectContaining({ tags: ["main", "latest"] }),
  ]);
  expect(h.notifications.sent.map((n) => n.id)).toEqual([
    `us-east-1/${repository}@${build.digest}#image-promoted`,
  ]);
  expect(h.metrics.total("Decisions", { outcome: "passed" })).toBe(1);
  expect(h.metrics.total("Promotions")).toBe(1);
  for (const tag of ["main", "latest"])
    expect((await h.tagBytes(repository, tag))?.equals(build.image.root.bytes)).toBe(true);
  // eu-west-1 is still owed its first copy: the reconciler keeps the candidate until a region reports back.
  expect(await h.store.candidatesDue("promoted", h.clock.advance(1).toISOString())).toContainEqual(
    expect.objectContaining({ digest: build.digest }),
  );
}

describe("gate handler", () => {
  it("decides once every platform is scanned, promotes the tags onto the index and reports it", async () => {
    const h = await harness(services);
    const build = await registeredBuild(h);
    for (const child of build.children) h.findings.set("team/app", child, "clean");
    const gate = createGateHandler(h.deps);

    const first = await gate(
      ecrScanEvent("team/app", build.children[0] ?? "sha256:", "COMPLETE", { time: h.clock.advance(2) }),
    );
    expect(first).toMatchObject({
      kind: "scan-applied",
      scan: "stored",
      candidates: [{ phase: "scanning" }],
    });
    expect(h.findings.calls).toEqual([]);
    const second = await gate(
      ecrScanEvent("team/app", build.children[1] ?? "sha256:", "COMPLETE", { time: h.clock.advance(2) }),
    );

    expect(second).toMatchObject({
      candidates: [
        { phase: "promoted", outcome: "passed", promotedTags: ["main", "latest"], settled: false },
      ],
    });
    expect(h.findings.calls.sort()).toEqual([...build.children].sort());
    await expectPromotedOnce(h, build);
    expect(h.metrics.points.find((p) => p.name === "PromotionLatency")?.value).toBe(4 * 60_000);
    expect(h.bus.of("Scan Recorded")).toHaveLength(2);
    const decided = h.log.lines.find((l) => l.message === "gate: decided");
    expect(decided?.fields).toMatchObject({
      repository: "team/app",
      digest: build.digest,
      commit: expect.any(String),
    });
  });

  it("applies each event once when every event is delivered twice", async () => {
    const h = await harness(services);
    const id = commit(commits++);
    const build = await pushBuild(services.client, "team/app", id, { revision: id, ref: "refs/heads/main" });
    for (const child of build.children) h.findings.set("team/app", child, "clean");
    const register = createRegisterHandler(h.deps);
    const gate = createGateHandler(h.deps);
    const push = pushEvent("team/app", build.digest, build.tag);
    const scans = build.children.map((child) =>
      ecrScanEvent("team/app", child, "COMPLETE", { time: h.clock.advance(1) }),
    );

    await register(push);
    await register(push);
    for (const scan of scans) {
      await gate(scan);
      await gate(scan);
    }
    await register(push);

    await expectPromotedOnce(h, build);
    expect(h.bus.of("Candidate Registered")).toHaveLength(1);
    expect(h.bus.of("Scan Recorded")).toHaveLength(2);
  });

  it("decides at registration when the children's scans arrived before the push", async () => {
    const h = await harness(services);
    const id = commit(commits++);
    const build = await pushBuild(services.client, "team/app", id, { revision: id, ref: "refs/heads/main" });
    for (const child of build.children) h.findings.set("team/app", child, "clean");
    const gate = createGateHandler(h.deps);

    for (const child of build.children) {
      const early = await gate(ecrScanEvent("team/app", child, "COMPLETE", { time: h.clock.advance(1) }));
      expect(early).toEqual({ kind: "scan-applied", scan: "stored", candidates: [] });
    }
    const result = await createRegisterHandler(h.deps)(pushEvent("team/app", build.digest, build.tag));

    expect(result).toMatchObject({ kind: "registered", created: true, candidate: { phase: "promoted" } });
    await expectPromotedOnce(h, build);
  });

  it("keeps the terminal scan when a stale IN_PROGRESS arrives after it, and takes an Inspector2 Scan", async () => {
    const h = await harness(services);
    const build = await registeredBuild(h);
    for (const child of build.children) h.findings.set("team/app", child, "clean");
    const gate = createGateHandler(h.deps);
    const [amd64 = "sha256:", arm64 = "sha256:"] = build.children;

    await gate(ecrScanEvent("team/app", amd64, "COMPLETE", { time: h.clock.advance(1) }));
    const stale = await gate(ecrScanEvent("team/app", amd64, "IN_PROGRESS", { time: h.clock.advance(1) }));
    expect(stale).toMatchObject({ scan: "kept-current", candidates: [{ phase: "scanning" }] });
    expect((await h.candidate(build.digest))?.scans[amd64]?.status).toBe("COMPLETE");
    await gate(inspectorScanEvent("team/app", arm64, { time: h.clock.advance(1) }));

    await expectPromotedOnce(h, build);
    expect((await h.candidate(build.digest))?.scans[arm64]).toMatchObject({
      scanner: "enhanced",
      status: "COMPLETE",
    });
  });

  it.each([
    ["FAILED", "failed"],
    ["UNSUPPORTED_IMAGE", "unsupported"],
  ] as const)(
    "rejects a candidate one of whose platforms scanned %s, promoting nothing",
    async (status, variant) => {
      const h = await harness(services);
      const build = await registeredBuild(h);
      const [amd64 = "sha256:", arm64 = "sha256:"] = build.children;
      h.findings.set("team/app", amd64, "clean");
      h.findings.set("team/app", arm64, variant);
      const gate = createGateHandler(h.deps);

      await gate(ecrScanEvent("team/app", amd64, "COMPLETE", { time: h.clock.advance(1) }));
      await gate(ecrScanEvent("team/app", arm64, status, { time: h.clock.advance(1) }));

      expect(await h.candidate(build.digest)).toMatchObject({
        phase: "decided",
        decision: { outcome: "failed" },
      });
      const [decided] = h.bus.of("Release Decided");
      expect(decided?.detail).toMatchObject({
        outcome: "failed",
        reasons: [expect.stringContaining(`linux/arm64: scan status ${status}`)],
      });
      expect(h.notifications.sent).toHaveLength(1);
      expect(h.notifications.sent[0]).toMatchObject({
        id: `us-east-1/team/app@${build.digest}#release-rejected`,
        attributes: { repository: "team/app", outcome: "failed", severity: "NONE" },
      });
      expect(h.bus.of("Image Promoted")).toEqual([]);
      expect(await h.tagBytes("team/app", "main")).not.toEqual(build.image.root.bytes);
      expect(h.metrics.total("Decisions", { outcome: "failed" })).toBe(1);
    },
  );

  it("rejects findings over the thresholds, storing a compact verdict and notifying with the worst severity", async () => {
    const h = await harness(services);
    const build = await registeredBuild(h);
    const [amd64 = "sha256:", arm64 = "sha256:"] = build.children;
    h.findings.set("team/app", amd64, "vulnerable");
    h.findings.set("team/app", arm64, "clean");
    const gate = createGateHandler(h.deps);

    await gate(
      ecrScanEvent("team/app", amd64, "COMPLETE", { time: h.clock.advance(1), counts: { CRITICAL: 1 } }),
    );
    await gate(ecrScanEvent("team/app", arm64, "COMPLETE", { time: h.clock.advance(1) }));

    const state = await h.candidate(build.digest);
    expect(state).toMatchObject({
      phase: "decided",
      decision: {
        outcome: "failed",
        reasons: { kind: "verdict", outcome: "fail", blocking: { items: expect.any(Array) } },
      },
    });
    expect(JSON.stringify(state).length).toBeLessThan(20_000);
    const body = h.notifications.sent[0]?.body as NotificationBody;
    expect(h.notifications.sent[0]?.attributes.severity).toBe("CRITICAL");
    expect(body.reasons).toContain("linux/amd64: 1 fixable CRITICAL finding, limit 0");
    expect(body.tags).toEqual(["main", "latest"]);
  });

  it("lets exactly one of four invocations racing to decide the same candidate decide, promote and report", async () => {
    const h = await harness(services);
    const build = await registeredBuild(h);
    for (const child of build.children) h.findings.set("team/app", child, "clean");
    const gate = createGateHandler(h.deps);
    const [amd64 = "sha256:", arm64 = "sha256:"] = build.children;
    await gate(ecrScanEvent("team/app", amd64, "COMPLETE", { time: h.clock.advance(1) }));
    const last = ecrScanEvent("team/app", arm64, "COMPLETE", { time: h.clock.advance(1) });
    const other = ecrScanEvent("team/app", arm64, "COMPLETE", { time: h.clock.now() });
    h.findings.holdUntil(8);

    const results = await Promise.all([gate(last), gate(last), gate(other), createGateHandler(h.deps)(last)]);

    expect(results.every((r) => r.kind === "scan-applied")).toBe(true);
    expect(h.findings.calls).toHaveLength(8);
    await expectPromotedOnce(h, build);
  });

  it("ends promoted once whichever order a push and its scans race in", async () => {
    for (let round = 0; round < 3; round++) {
      const h = await harness(services);
      const id = commit(commits++);
      const build = await pushBuild(services.client, "team/race", id, {
        revision: id,
        ref: "refs/heads/main",
      });
      for (const child of build.children) h.findings.set("team/race", child, "clean");
      const register = createRegisterHandler(h.deps);
      const gate = createGateHandler(h.deps);
      const scans = build.children.map((child) =>
        ecrScanEvent("team/race", child, "COMPLETE", { time: h.clock.now() }),
      );

      await Promise.all([
        gate(scans[0]),
        register(pushEvent("team/race", build.digest, build.tag)),
        gate(scans[1]),
      ]);

      await expectPromotedOnce(h, build, "team/race");
    }
  });

  it("keeps a scan for an image no candidate has yet, without error", async () => {
    const h = await harness(services);
    const digest = `sha256:${"e".repeat(64)}` as const;
    const result = await createGateHandler(h.deps)(ecrScanEvent("team/app", digest, "COMPLETE"));

    expect(result).toEqual({ kind: "scan-applied", scan: "stored", candidates: [] });
    expect(
      (await h.store.getImageScan({ region: "us-east-1", repository: "team/app", digest }))?.scan.status,
    ).toBe("COMPLETE");
  });

  it.each([
    [
      "another account",
      () => ecrScanEvent("team/app", `sha256:${"a".repeat(64)}`, "COMPLETE", { account: "210987654321" }),
      "account",
    ],
    [
      "an unconfigured region",
      () => ecrScanEvent("team/app", `sha256:${"a".repeat(64)}`, "COMPLETE", { region: "eu-west-1" }),
      "region",
    ],
    [
      "an unconfigured repository",
      () => ecrScanEvent("other/app", `sha256:${"a".repeat(64)}`, "COMPLETE"),
      "repository",
    ],
  ])("refuses a scan from %s and stores nothing", async (_what, event, field) => {
    const h = await harness(services);
    const result = await createGateHandler(h.deps)(event());

    expect(result).toMatchObject({ kind: "refused", field });
    expect(
      await h.store.getImageScan({
        region: "us-east-1",
        repository: "team/app",
        digest: `sha256:${"a".repeat(64)}`,
      }),
    ).toBeUndefined();
    expect(h.metrics.total("EventsRefused", { handler: "gate", field })).toBe(1);
  });

  it("refuses an Inspector2 Scan whose repository ARN names another account (a ValidationError from the contract)", async () => {
    const h = await harness(services);
    const error = await createGateHandler(h.deps)(
      inspectorScanEvent("team/app", `sha256:${"b".repeat(64)}`, { arnAccount: "210987654321" }),
    ).catch((e: unknown) => e);

    expect((error as ValidationError).issues).toContainEqual(
      expect.objectContaining({ field: "detail.repository-name" }),
    );
  });

  it.each(["ecr-image-scan.basic.json", "inspector2-scan.ecr-userguide.json"])(
    "throws a ValidationError naming the digest for AWS's %s as published, applying nothing",
    async (file) => {
      const h = await harness(services);
      const error = await createGateHandler(h.deps)(rawSample(file)).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues).toContainEqual(
        expect.objectContaining({ field: "detail.image-digest" }),
      );
      expect(h.bus.published).toEqual([]);
    },
  );
});

describe("gate handler, releases promoted out of order", () => {
  it("leaves 1.0, 1 and latest on 1.0.49 when 1.0.28's scans arrive after 1.0.49 was promoted", async () => {
    const repository = "team/versions";
    const h = await harness(services, { repositories: [repository] });
    const register = createRegisterHandler(h.deps);
    const gate = createGateHandler(h.deps);
    const release = async (version: string) => {
      const id = commit(commits++);
      const build = await pushBuild(services.client, repository, id, {
        revision: id,
        ref: `refs/tags/v${version}`,
      });
      for (const child of build.children) h.findings.set(repository, child, "clean");
      await register(pushEvent(repository, build.digest, build.tag));
      return build;
    };
    const scanAll = async (build: PushedBuild) => {
      for (const child of build.children)
        await gate(ecrScanEvent(repository, child, "COMPLETE", { time: h.clock.advance(1) }));
    };
    // Both registered before either is promoted: each was granted the floating tags at registration.
    const newer = await release("1.0.49");
    const older = await release("1.0.28");
    expect((await h.candidate(older.digest, repository))?.tags.promotion).toEqual([
      "1.0.28",
      "1.0",
      "1",
      "latest",
    ]);

    await scanAll(newer);
    await scanAll(older);

    for (const tag of ["1.0.49", "1.0", "1", "latest"])
      expect((await h.tagBytes(repository, tag))?.equals(newer.image.root.bytes), tag).toBe(true);
    expect((await h.tagBytes(repository, "1.0.28"))?.equals(older.image.root.bytes)).toBe(true);
    expect(await h.candidate(older.digest, repository)).toMatchObject({
      phase: "promoted",
      promotion: { tags: ["1.0.28"] },
    });
    expect(h.bus.of("Image Promoted").map((e) => e.detail)).toEqual([
      expect.objectContaining({ tags: ["1.0.49", "1.0", "1", "latest"] }),
      expect.objectContaining({ tags: ["1.0.28"] }),
    ]);
  });

  it("hands 1.0, 1 and latest back to 1.0.49 when 1.0.28 read the tags before 1.0.49 moved them (a race)", async () => {
    const repository = "team/versions-race";
    const h = await harness(services, { repositories: [repository] });
    const register = createRegisterHandler(h.deps);
    const release = async (version: string) => {
      const id = commit(commits++);
      const build = await pushBuild(services.client, repository, id, {
        revision: id,
        ref: `refs/tags/v${version}`,
      });
      for (const child of build.children) h.findings.set(repository, child, "clean");
      await register(pushEvent(repository, build.digest, build.tag));
      return build;
    };
    const newer = await release("1.0.49");
    const older = await release("1.0.28");
    const before = await services.client.listTags(repository);
    for (const child of newer.children)
      await createGateHandler(h.deps)(
        ecrScanEvent(repository, child, "COMPLETE", { time: h.clock.advance(1) }),
      );
    // 1.0.28's promotion reads the tags as they were before 1.0.49 moved them, then writes after it.
    let staleReads = 1;
    const stale = new Proxy(services.client, {
      get(target, property) {
        if (property === "listTags" && staleReads > 0) {
          staleReads--;
          return async () => before;
        }
        const value = Reflect.get(target, property, target);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const gate = createGateHandler({ ...h.deps, registry: { clientFor: () => stale } });

    for (const child of older.children)
      await gate(ecrScanEvent(repository, child, "COMPLETE", { time: h.clock.advance(1) }));

    expect(staleReads).toBe(0);
    for (const tag of ["1.0.49", "1.0", "1", "latest"])
      expect((await h.tagBytes(repository, tag))?.equals(newer.image.root.bytes), tag).toBe(true);
    expect((await h.tagBytes(repository, "1.0.28"))?.equals(older.image.root.bytes)).toBe(true);
    expect(await h.candidate(older.digest, repository)).toMatchObject({ promotion: { tags: ["1.0.28"] } });
    expect(h.metrics.total("FloatingTagsRestored")).toBe(3);
  });
});
