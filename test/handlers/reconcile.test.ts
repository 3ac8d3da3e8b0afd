import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ValidationError } from "../../src/core/index.ts";
import {
  createGateHandler,
  createReconcileHandler,
  createRegisterHandler,
  FindingsUnavailableError,
  type NotificationBody,
} from "../../src/handlers/index.ts";
import { parseReplicateEvent } from "../../src/handlers/replicate/replicateEvent.ts";
import { recordAttempt } from "../../src/handlers/replicate/replicateRecord.ts";
import { rawSample } from "../events/awsSamples.ts";
import { ecrScanEvent, findingEvent, pushEvent, scheduledEvent } from "./support/events.ts";
import { type Harness, harness, type Services, startServices } from "./support/harness.ts";
import { commit, type PushedBuild, pushBuild } from "./support/images.ts";

let services: Services;
beforeAll(async () => {
  services = await startServices();
});
afterAll(async () => services?.stop());

let commits = 200;
async function registeredBuild(h: Harness, repository = "team/app"): Promise<PushedBuild> {
  const id = commit(commits++);
  const build = await pushBuild(services.client, repository, id, { revision: id, ref: "refs/heads/main" });
  await createRegisterHandler(h.deps)(
    pushEvent(repository, build.digest, build.tag, { time: h.clock.now() }),
  );
  return build;
}

/** Registers, scans clean and promotes a build of main. */
async function promotedBuild(h: Harness, repository: string): Promise<PushedBuild> {
  const build = await registeredBuild(h, repository);
  const gate = createGateHandler(h.deps);
  for (const child of build.children) {
    h.findings.set(repository, child, "clean");
    await gate(ecrScanEvent(repository, child, "COMPLETE", { time: h.clock.advance(1) }));
  }
  expect((await h.candidate(build.digest, repository))?.phase).toBe("promoted");
  return build;
}

const sweep = (h: Harness) => createReconcileHandler(h.deps)(scheduledEvent({ time: h.clock.now() }));

describe("reconcile handler: schedule", () => {
  it("recovers a lost scan event by polling, then decides and promotes", async () => {
    const h = await harness(services);
    const build = await registeredBuild(h);
    const [amd64 = "sha256:", arm64 = "sha256:"] = build.children;
    for (const child of build.children) h.findings.set("team/app", child, "clean");
    await createGateHandler(h.deps)(
      ecrScanEvent("team/app", amd64, "COMPLETE", { time: h.clock.advance(1) }),
    );

    h.clock.advance(5);
    expect(await sweep(h)).toEqual({ kind: "swept", candidates: [], failures: [] });
    h.clock.advance(5);
    const result = await sweep(h);

    expect(result).toMatchObject({
      kind: "swept",
      failures: [],
      candidates: [{ phase: "promoted", settled: false }],
    });
    const state = await h.candidate(build.digest);
    expect(state?.scans[arm64]).toMatchObject({
      status: "COMPLETE",
      eventId: expect.stringMatching(/^poll:COMPLETE:/),
    });
    expect(h.metrics.total("ScansRecovered")).toBe(1);
    expect((await h.tagBytes("team/app", "main"))?.equals(build.image.root.bytes)).toBe(true);
    expect(h.bus.of("Image Promoted")).toHaveLength(1);
    // Still owed its first copy to eu-west-1, the candidate is looked at again, and nothing more is done.
    expect(await sweep(h)).toMatchObject({
      candidates: [{ phase: "promoted", settled: false }],
      failures: [],
    });
    expect(h.bus.of("Image Promoted")).toHaveLength(1);
  });

  it("keeps waiting while a polled scan is still in progress, then fails closed at the deadline and reports it", async () => {
    const h = await harness(services);
    const build = await registeredBuild(h);
    const [amd64 = "sha256:", arm64 = "sha256:"] = build.children;
    h.findings.set("team/app", amd64, "clean");
    h.findings.set("team/app", arm64, "in-progress");
    await createGateHandler(h.deps)(
      ecrScanEvent("team/app", amd64, "COMPLETE", { time: h.clock.advance(1) }),
    );

    h.clock.advance(15);
    expect(await sweep(h)).toMatchObject({ candidates: [{ phase: "scanning" }] });
    h.clock.advance(15);
    const result = await sweep(h);

    expect(result).toMatchObject({ candidates: [{ phase: "decided", outcome: "timed-out", settled: true }] });
    expect(h.bus.of("Release Decided").map((e) => e.detail)).toEqual([
      expect.objectContaining({
        outcome: "timed-out",
        reasons: [
          expect.stringMatching(/^linux\/arm64: no final scan by .* \(last status none; fail closed\)$/),
        ],
      }),
    ]);
    expect(h.notifications.sent.map((n) => n.attributes)).toEqual([
      { repository: "team/app", outcome: "timed-out", severity: "NONE" },
    ]);
    expect(h.metrics.total("Decisions", { outcome: "timed-out" })).toBe(1);
    expect(await h.tagBytes("team/app", "main")).not.toEqual(build.image.root.bytes);
    expect(await sweep(h)).toEqual({ kind: "swept", candidates: [], failures: [] });
  });

  it("promotes a passed candidate whose promotion a registry outage interrupted after the decision", async () => {
    const h = await harness(services);
    const build = await registeredBuild(h, "team/app");
    const gate = createGateHandler(h.deps);
    for (const child of build.children) h.findings.set("team/app", child, "clean");
    await gate(
      ecrScanEvent("team/app", build.children[0] ?? "sha256:", "COMPLETE", { time: h.clock.advance(1) }),
    );

    h.registry.failures = 1;
    const crashed = gate(
      ecrScanEvent("team/app", build.children[1] ?? "sha256:", "COMPLETE", { time: h.clock.advance(1) }),
    );
    await expect(crashed).rejects.toThrow(/ECONNREFUSED/);
    expect(await h.candidate(build.digest)).toMatchObject({
      phase: "decided",
      decision: { outcome: "passed" },
    });
    expect(h.bus.of("Release Decided")).toHaveLength(1);
    expect(await h.tagBytes("team/app", "main")).not.toEqual(build.image.root.bytes);

    const result = await sweep(h);

    expect(result).toMatchObject({
      candidates: [{ phase: "promoted", promotedTags: ["main", "latest"], settled: false }],
    });
    for (const tag of ["main", "latest"])
      expect((await h.tagBytes("team/app", tag))?.equals(build.image.root.bytes)).toBe(true);
    expect(h.bus.of("Release Decided")).toHaveLength(1);
    expect(h.bus.of("Image Promoted")).toHaveLength(1);
    expect(h.notifications.sent).toHaveLength(1);
  });

  it("waits out the lease of an invocation that died holding the promotion, then promotes", async () => {
    const h = await harness(services);
    const build = await registeredBuild(h, "team/app");
    const gate = createGateHandler(h.deps);
    for (const child of build.children) h.findings.set("team/app", child, "clean");
    await gate(
      ecrScanEvent("team/app", build.children[0] ?? "sha256:", "COMPLETE", { time: h.clock.advance(1) }),
    );
    h.registry.failures = 1;
    await expect(
      gate(
        ecrScanEvent("team/app", build.children[1] ?? "sha256:", "COMPLETE", { time: h.clock.advance(1) }),
      ),
    ).rejects.toThrow();
    const state = await h.candidate(build.digest);
    if (state === undefined) throw new Error("candidate missing");
    const dead = await h.store.claimEffect(state.key, "promote", { now: h.clock.now(), leaseSeconds: 300 });
    expect(dead.kind).toBe("claimed");

    expect(await sweep(h)).toMatchObject({
      candidates: [{ phase: "decided", outcome: "passed", settled: false }],
    });
    h.clock.advance(6);
    expect(await sweep(h)).toMatchObject({ candidates: [{ phase: "promoted", settled: false }] });
    expect((await h.tagBytes("team/app", "main"))?.equals(build.image.root.bytes)).toBe(true);
  });

  it("publishes the Image Promoted event a bus outage lost after the promotion", async () => {
    const h = await harness(services);
    const build = await registeredBuild(h, "team/app");
    const gate = createGateHandler(h.deps);
    for (const child of build.children) h.findings.set("team/app", child, "clean");
    await gate(
      ecrScanEvent("team/app", build.children[0] ?? "sha256:", "COMPLETE", { time: h.clock.advance(1) }),
    );
    h.bus.failNext("Image Promoted");

    await expect(
      gate(
        ecrScanEvent("team/app", build.children[1] ?? "sha256:", "COMPLETE", { time: h.clock.advance(1) }),
      ),
    ).rejects.toThrow(/bus unavailable/);
    expect((await h.candidate(build.digest))?.phase).toBe("promoted");
    expect(h.bus.of("Image Promoted")).toEqual([]);

    expect(await sweep(h)).toMatchObject({ candidates: [{ phase: "promoted", settled: false }] });
    expect(h.bus.of("Image Promoted")).toHaveLength(1);
    expect(h.notifications.sent).toHaveLength(1);
    expect(h.metrics.total("Promotions")).toBe(1);
  });

  it("reports a candidate it cannot bring forward and carries on with the others", async () => {
    const h = await harness(services);
    const broken = await registeredBuild(h);
    const fine = await registeredBuild(h);
    const gate = createGateHandler(h.deps);
    for (const child of fine.children) h.findings.set("team/app", child, "clean");
    await gate(ecrScanEvent("team/app", fine.children[0] ?? "sha256:", "COMPLETE", { time: h.clock.now() }));
    for (const child of broken.children) {
      const scanned = gate(ecrScanEvent("team/app", child, "COMPLETE", { time: h.clock.now() }));
      if (child === broken.children[1]) await expect(scanned).rejects.toThrow(FindingsUnavailableError);
      else await scanned;
    }

    h.clock.advance(11);
    const result = await sweep(h);

    expect(result).toMatchObject({
      kind: "swept",
      candidates: [{ key: { digest: fine.digest }, phase: "promoted" }],
      failures: [{ key: { digest: broken.digest }, error: expect.stringContaining("ScanNotFoundException") }],
    });
    expect(h.metrics.total("ReconcileFailures")).toBe(1);
  });

  it("refuses a scheduled event from another account and throws for a malformed one", async () => {
    const h = await harness(services);
    const reconcile = createReconcileHandler(h.deps);

    expect(await reconcile(scheduledEvent({ account: "210987654321" }))).toMatchObject({
      kind: "refused",
      field: "account",
    });
    const error = await reconcile({ ...scheduledEvent(), time: "yesterday" }).catch((e: unknown) => e);
    expect((error as ValidationError).issues).toEqual([
      expect.objectContaining({ field: "time", value: "yesterday" }),
    ]);
  });
});

describe("reconcile handler: new finding on a promoted image", () => {
  it("notifies once when the policy says notify, leaving the tags where they are", async () => {
    const h = await harness(services);
    const build = await promotedBuild(h, "team/app");
    const [amd64 = "sha256:"] = build.children;
    h.findings.set("team/app", amd64, "vulnerable");
    const reconcile = createReconcileHandler(h.deps);
    const event = findingEvent("team/app", amd64, { time: h.clock.advance(60) });

    expect(await reconcile(event)).toEqual({
      kind: "re-evaluated",
      candidates: [{ key: expect.objectContaining({ digest: build.digest }), outcome: "notified" }],
    });
    await reconcile(event);

    expect(h.bus.of("Finding On Promoted Image").map((e) => e.detail)).toEqual([
      expect.objectContaining({
        findingId: "CVE-2019-17498",
        severity: "MEDIUM",
        platform: amd64,
        action: "notify",
      }),
    ]);
    const findings = h.notifications.sent.filter(
      (n) => (n.body as NotificationBody).kind === "finding-on-promoted-image",
    );
    expect(findings).toHaveLength(1);
    expect((findings[0]?.body as NotificationBody | undefined)?.reasons).toContain(
      "linux/amd64: 1 fixable CRITICAL finding, limit 0",
    );
    expect((await h.tagBytes("team/app", "main"))?.equals(build.image.root.bytes)).toBe(true);
  });

  it("demotes: moves every promotion tag back to the previous passing digest, once", async () => {
    const h = await harness(services);
    const previous = await promotedBuild(h, "team/demote");
    const current = await promotedBuild(h, "team/demote");
    expect((await h.tagBytes("team/demote", "main"))?.equals(current.image.root.bytes)).toBe(true);
    const [amd64 = "sha256:"] = current.children;
    h.findings.set("team/demote", amd64, "vulnerable");
    const reconcile = createReconcileHandler(h.deps);
    const event = findingEvent("team/demote", amd64, { time: h.clock.advance(60) });

    const result = await reconcile(event);
    await reconcile(event);

    expect(result).toEqual({
      kind: "re-evaluated",
      candidates: [
        {
          key: expect.objectContaining({ digest: current.digest }),
          outcome: "demoted",
          tags: [
            { tag: "main", digest: previous.digest },
            { tag: "latest", digest: previous.digest },
          ],
        },
      ],
    });
    for (const tag of ["main", "latest"])
      expect((await h.tagBytes("team/demote", tag))?.equals(previous.image.root.bytes)).toBe(true);
    expect(h.bus.of("Finding On Promoted Image").map((e) => e.detail)).toEqual([
      expect.objectContaining({ action: "demote" }),
    ]);
    expect(h.metrics.total("Demotions")).toBe(1);
    const body = h.notifications.sent.at(-1)?.body as NotificationBody;
    expect(body).toMatchObject({
      kind: "finding-on-promoted-image",
      action: "demote",
      demotion: result.kind === "re-evaluated" ? result.candidates[0]?.tags : [],
    });
  });

  it("leaves a tag with no earlier passing digest in place and says so", async () => {
    const h = await harness(services);
    const only = await promotedBuild(h, "team/demote");
    const [amd64 = "sha256:"] = only.children;
    h.findings.set("team/demote", amd64, "vulnerable");

    const result = await createReconcileHandler(h.deps)(
      findingEvent("team/demote", amd64, { time: h.clock.advance(60) }),
    );

    expect(result).toMatchObject({
      candidates: [
        {
          outcome: "demoted",
          tags: [
            { tag: "main", digest: null },
            { tag: "latest", digest: null },
          ],
        },
      ],
    });
    expect((await h.tagBytes("team/demote", "main"))?.equals(only.image.root.bytes)).toBe(true);
  });

  it("does nothing when the promoted image still passes, or when the image is not promoted", async () => {
    const h = await harness(services);
    const promoted = await promotedBuild(h, "team/app");
    const waiting = await registeredBuild(h);
    const reconcile = createReconcileHandler(h.deps);

    expect(await reconcile(findingEvent("team/app", promoted.children[0] ?? "sha256:"))).toMatchObject({
      candidates: [{ outcome: "still-passes" }],
    });
    expect(await reconcile(findingEvent("team/app", waiting.children[0] ?? "sha256:"))).toMatchObject({
      candidates: [{ outcome: "not-promoted" }],
    });
    expect(
      await reconcile(findingEvent("team/app", promoted.children[0] ?? "sha256:", { status: "CLOSED" })),
    ).toMatchObject({ candidates: [{ outcome: "still-passes" }] });
    expect(
      await reconcile(findingEvent("team/app", promoted.children[0] ?? "sha256:", { status: "SUPPRESSED" })),
    ).toMatchObject({ kind: "ignored" });
    expect(h.bus.of("Finding On Promoted Image")).toEqual([]);
    expect(h.bus.of("Image Unmonitored")).toEqual([]);
    expect(h.notifications.sent.filter((n) => n.subject.includes("finding"))).toEqual([]);
  });

  it("refuses a finding about an unconfigured repository and throws for AWS's sample as published", async () => {
    const h = await harness(services);
    const reconcile = createReconcileHandler(h.deps);

    expect(await reconcile(findingEvent("other/app", `sha256:${"d".repeat(64)}`))).toMatchObject({
      kind: "refused",
      field: "repository",
    });
    const error = await reconcile(rawSample("inspector2-finding.ecr-image.json")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toContainEqual(
      expect.objectContaining({ field: "detail.resources[0].details.awsEcrContainerImage.imageHash" }),
    );
  });
});

describe("reconcile handler: replication retries", () => {
  /** Records a failed copy to eu-west-1 the way the replicate handler does. */
  async function failReplication(h: Harness, build: PushedBuild, times = 1): Promise<void> {
    for (let i = 0; i < times; i++) {
      const state = await h.candidate(build.digest);
      if (state === undefined) throw new Error("candidate missing");
      await recordAttempt(
        h.store,
        state,
        { region: "eu-west-1", outcome: "failed", error: "503 Service Unavailable", now: h.clock.now() },
        8,
      );
    }
  }

  it("re-publishes Image Promoted once per window for a region that failed with attempts left, until it replicates", async () => {
    const h = await harness(services);
    const build = await promotedBuild(h, "team/app");
    expect(h.bus.of("Image Promoted")).toHaveLength(1);
    await failReplication(h, build);

    h.clock.advance(5);
    expect(await sweep(h)).toMatchObject({ candidates: [{ phase: "promoted", settled: false }] });
    expect(h.bus.of("Image Promoted")).toHaveLength(1);

    h.clock.advance(10);
    const [retried] = await Promise.all([sweep(h), sweep(h)]);
    expect(await sweep(h)).toMatchObject({ candidates: [{ phase: "promoted", settled: false }] });
    const republished = h.bus.of("Image Promoted");
    expect(republished).toHaveLength(2);
    expect(republished[1]?.detail).toMatchObject({
      candidate: { digest: build.digest },
      tags: ["main", "latest"],
    });
    expect(parseReplicateEvent(republished[1], h.deps.settings)).toMatchObject({
      ok: true,
      value: { kind: "accepted" },
    });
    expect(retried.kind === "swept" && retried.candidates.flatMap((c) => c.replicationRetried ?? [])).toEqual(
      expect.arrayContaining(["eu-west-1"]),
    );
    expect(h.metrics.total("ReplicationRetries")).toBe(1);

    h.clock.advance(15);
    await sweep(h);
    expect(h.bus.of("Image Promoted")).toHaveLength(3);

    const state = await h.candidate(build.digest);
    if (state === undefined) throw new Error("candidate missing");
    await recordAttempt(
      h.store,
      state,
      { region: "eu-west-1", outcome: "replicated", now: h.clock.now() },
      8,
    );
    h.clock.advance(30);
    expect(await sweep(h)).toMatchObject({ candidates: [{ phase: "promoted", settled: true }] });
    expect(h.bus.of("Image Promoted")).toHaveLength(3);
    expect(await h.store.candidatesDue("promoted", h.clock.advance(1).toISOString())).toEqual([]);
  });

  it("settles without asking again once the region's attempts are spent", async () => {
    const h = await harness(services);
    const build = await promotedBuild(h, "team/app");
    await failReplication(h, build, 5);

    h.clock.advance(60);
    expect(await sweep(h)).toMatchObject({ candidates: [{ phase: "promoted", settled: true }] });
    expect(h.bus.of("Image Promoted")).toHaveLength(1);
  });
});

describe("reconcile handler: a lost Image Promoted event (#11 item 8)", () => {
  it("asks again for a region still on its first attempt once the retry window has passed", async () => {
    const h = await harness(services);
    const build = await promotedBuild(h, "team/app");
    expect(h.bus.of("Image Promoted")).toHaveLength(1);
    // The promotion's own event never reaches the replicate handler: nothing records an attempt.
    h.clock.advance(10);
    await sweep(h);
    expect(h.bus.of("Image Promoted")).toHaveLength(1);

    h.clock.advance(6);
    const retried = await sweep(h);
    expect(retried.kind === "swept" && retried.candidates.flatMap((c) => c.replicationRetried ?? [])).toEqual(
      ["eu-west-1"],
    );
    expect(h.bus.of("Image Promoted")).toHaveLength(2);
    expect(h.bus.of("Image Promoted")[1]?.detail).toMatchObject({ candidate: { digest: build.digest } });
    await sweep(h);
    expect(h.bus.of("Image Promoted")).toHaveLength(2);
  });
});

describe("reconcile handler: Inspector's silent gaps (#11 item 3)", () => {
  it.each([
    ["an image Inspector cannot scan fails closed before its deadline", "unsupported", "failed"],
    ["a scan whose Inspector2 Scan event never came is decided", "clean", "promoted"],
  ] as const)("polls the scan status of platforms still waiting: %s", async (_title, variant, expected) => {
    const h = await harness(services, { scanner: "enhanced" });
    const build = await registeredBuild(h);
    for (const child of build.children) h.findings.serve("team/app", child, ["in-progress", variant]);

    h.clock.advance(10);
    expect(await sweep(h)).toMatchObject({ candidates: [{ phase: "scanning" }] });
    h.clock.advance(10);
    await sweep(h);
    const state = await h.candidate(build.digest);
    expect(Date.parse(h.clock.now().toISOString())).toBeLessThan(Date.parse(state?.deadline ?? ""));
    if (expected === "failed") {
      expect(state).toMatchObject({ phase: "decided", decision: { outcome: "failed" } });
      expect(JSON.stringify(state?.phase === "decided" && state.decision.reasons)).toContain(
        "UNSUPPORTED_IMAGE",
      );
    } else expect(state).toMatchObject({ phase: "promoted" });
    for (const child of build.children)
      expect(state?.scans[child]).toMatchObject({ eventId: expect.stringMatching(/^poll:/) });
  });

  it("keeps polling a platform ECR has no scan for, until the deadline fails it closed", async () => {
    const h = await harness(services, { scanner: "enhanced" });
    const build = await registeredBuild(h);
    for (let minutes = 10; minutes <= 30; minutes += 10) {
      h.clock.advance(10);
      await sweep(h);
      expect((await h.candidate(build.digest))?.phase).toBe("scanning");
    }
    const polled = h.findings.calls.length;
    expect(polled).toBeGreaterThanOrEqual(6);
    h.clock.advance(1);
    await sweep(h);
    expect(await h.candidate(build.digest)).toMatchObject({ decision: { outcome: "timed-out" } });
  });
});
