import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createGateHandler,
  createReconcileHandler,
  createRegisterHandler,
  type NotificationBody,
} from "../../src/handlers/index.ts";
import { parsePolicy } from "../../src/policy/index.ts";
import { ecrScanEvent, findingEvent, pushEvent, scheduledEvent } from "./support/events.ts";
import { type Harness, harness, POLICY_TEXT, type Services, startServices } from "./support/harness.ts";
import { commit, type PushedBuild, pushBuild } from "./support/images.ts";

let services: Services;
beforeAll(async () => {
  services = await startServices();
});
afterAll(async () => services?.stop());

/** The tests' policy, with a three-day grace period for team/single. */
const GRACE_POLICY = `${POLICY_TEXT}  - repositories: ["team/single"]
    onNewFinding: { action: demote, afterDays: 3 }
`;

async function graceHarness(): Promise<Harness> {
  const policy = parsePolicy(GRACE_POLICY);
  if (!policy.ok) throw new Error(JSON.stringify(policy.error));
  return harness(services, { policy: policy.value });
}

let commits = 800;
async function promotedBuild(h: Harness, repository: string): Promise<PushedBuild> {
  const id = commit(commits++);
  const build = await pushBuild(services.client, repository, id, { revision: id, ref: "refs/heads/main" });
  await createRegisterHandler(h.deps)(
    pushEvent(repository, build.digest, build.tag, { time: h.clock.now() }),
  );
  const gate = createGateHandler(h.deps);
  for (const child of build.children) {
    h.findings.set(repository, child, "clean");
    await gate(ecrScanEvent(repository, child, "COMPLETE", { time: h.clock.advance(1) }));
  }
  expect((await h.candidate(build.digest, repository))?.phase).toBe("promoted");
  return build;
}

/** The same finding re-fired by Inspector: vendor metadata and display timestamps changed, nothing else. */
function refired(event: Record<string, unknown>, n: number): Record<string, unknown> {
  const detail = event.detail as Record<string, unknown>;
  return {
    ...event,
    id: `${String(event.id)}-refire-${n}`,
    detail: {
      ...detail,
      inspectorScore: 5 + n / 10,
      epss: { score: 0.001 * n },
      updatedAt: `Dec ${n + 3}, 2021, 6:0${n}:30 PM`,
      lastObservedAt: `Dec ${n + 3}, 2021, 6:0${n}:30 PM`,
    },
  };
}

function withSeverity(event: Record<string, unknown>, severity: string): Record<string, unknown> {
  return {
    ...event,
    id: `${String(event.id)}-${severity}`,
    detail: { ...(event.detail as object), severity },
  };
}

const findingNotifications = (h: Harness) =>
  h.notifications.sent.filter((n) => (n.body as NotificationBody).kind === "finding-on-promoted-image");
const sweep = (h: Harness) => createReconcileHandler(h.deps)(scheduledEvent({ time: h.clock.now() }));

describe("Inspector2 Finding events that re-fire (#11 item 5)", () => {
  it("acts once per finding change: re-fired events change nothing and notify nobody again", async () => {
    const h = await harness(services);
    const build = await promotedBuild(h, "team/app");
    const [amd64 = "sha256:"] = build.children;
    h.findings.set("team/app", amd64, "vulnerable");
    const reconcile = createReconcileHandler(h.deps);
    const first = findingEvent("team/app", amd64, { time: h.clock.advance(60) });

    expect(await reconcile(first)).toMatchObject({ candidates: [{ outcome: "notified" }] });
    const version = (await h.candidate(build.digest))?.version;
    const again = [refired(first, 2), first, refired(first, 1), refired(first, 3), first];
    const results = await Promise.all(again.map((event) => reconcile(event)));
    for (const result of results) expect(result).toMatchObject({ candidates: [{ outcome: "duplicate" }] });

    expect((await h.candidate(build.digest))?.version).toBe(version);
    expect(h.bus.of("Finding On Promoted Image")).toHaveLength(1);
    expect(findingNotifications(h)).toHaveLength(1);

    expect(await reconcile(withSeverity(first, "CRITICAL"))).toMatchObject({
      candidates: [{ outcome: "notified" }],
    });
    expect(
      h.bus.of("Finding On Promoted Image").map((e) => (e.detail as { severity?: string }).severity),
    ).toEqual(["MEDIUM", "CRITICAL"]);
    expect(findingNotifications(h)).toHaveLength(2);
  });
});

describe("rescan expiry (SCAN_ELIGIBILITY_EXPIRED) is not a fix (#11 item 4)", () => {
  it("reports a demoted image as no longer monitored, once, and leaves the demotion as it was", async () => {
    const h = await harness(services);
    const previous = await promotedBuild(h, "team/demote");
    const current = await promotedBuild(h, "team/demote");
    const [amd64 = "sha256:"] = current.children;
    h.findings.set("team/demote", amd64, "vulnerable");
    const reconcile = createReconcileHandler(h.deps);
    const active = findingEvent("team/demote", amd64, { time: h.clock.advance(60) });
    expect(await reconcile(active)).toMatchObject({ candidates: [{ outcome: "demoted" }] });

    h.findings.set("team/demote", amd64, "expired");
    const closed = findingEvent("team/demote", amd64, {
      time: h.clock.advance(60 * 24 * 14),
      status: "CLOSED",
    });
    const results = await Promise.all([closed, closed, refired(closed, 1)].map((event) => reconcile(event)));

    // Concurrent deliveries may each re-read (the change is recorded after acting); the effects happen once.
    for (const result of results)
      expect(["unmonitored", "duplicate"]).toContain(
        result.kind === "re-evaluated" ? result.candidates[0]?.outcome : result.kind,
      );
    expect(await reconcile(refired(closed, 2))).toMatchObject({ candidates: [{ outcome: "duplicate" }] });
    expect(h.bus.of("Image Unmonitored").map((e) => e.detail)).toEqual([
      expect.objectContaining({ platforms: [amd64] }),
    ]);
    const unmonitored = h.notifications.sent.filter(
      (n) => (n.body as NotificationBody).kind === "image-unmonitored",
    );
    expect(unmonitored).toHaveLength(1);
    expect((unmonitored[0]?.body as NotificationBody | undefined)?.reasons[0]).toMatch(/closed, not fixed/);
    const state = await h.candidate(current.digest, "team/demote");
    expect(state?.phase === "promoted" && state.watch).toMatchObject({
      demotedAt: expect.any(String),
      unmonitoredSince: expect.any(String),
    });
    for (const tag of ["main", "latest"])
      expect((await h.tagBytes("team/demote", tag))?.equals(previous.image.root.bytes)).toBe(true);
  });
});

describe("a grace period instead of instant demotion (#11 item 7)", () => {
  it("notifies with the deadline, keeps the tags until it, then demotes unless the image passes", async () => {
    const h = await graceHarness();
    const previous = await promotedBuild(h, "team/single");
    const current = await promotedBuild(h, "team/single");
    const [amd64 = "sha256:"] = current.children;
    h.findings.set("team/single", amd64, "vulnerable");
    const reconcile = createReconcileHandler(h.deps);
    const event = findingEvent("team/single", amd64, { time: h.clock.advance(60) });
    const deadline = new Date(h.clock.now().getTime() + 3 * 86_400_000).toISOString();

    const results = await Promise.all([event, refired(event, 1), event].map((e) => reconcile(e)));
    expect(results.map((r) => (r.kind === "re-evaluated" ? r.candidates[0]?.outcome : r.kind))).toContain(
      "grace",
    );
    const notified = findingNotifications(h);
    expect(notified).toHaveLength(1);
    expect(notified[0]?.body).toMatchObject({ action: "demote", demoteAt: deadline, daysLeft: 3 });
    expect(notified[0]?.subject).toMatch(/^Demotion scheduled/);
    expect(h.bus.of("Finding On Promoted Image").map((e) => e.detail)).toEqual([
      expect.objectContaining({ action: "demote", demoteAt: deadline }),
    ]);

    h.clock.advance(2 * 24 * 60);
    await sweep(h);
    expect((await h.tagBytes("team/single", "main"))?.equals(current.image.root.bytes)).toBe(true);

    h.clock.advance(24 * 60);
    await sweep(h);
    await sweep(h);
    for (const tag of ["main", "latest"])
      expect((await h.tagBytes("team/single", tag))?.equals(previous.image.root.bytes)).toBe(true);
    expect(h.metrics.total("Demotions")).toBe(1);
    const after = findingNotifications(h);
    expect(after).toHaveLength(2);
    expect(after[1]?.body).toMatchObject({ action: "demote", demotion: expect.any(Array) });
    const state = await h.candidate(current.digest, "team/single");
    expect(state?.phase === "promoted" && state.watch?.demotedAt).toEqual(expect.any(String));
    expect(state?.phase === "promoted" && state.watch?.demotion).toBeUndefined();
  });

  it("does not demote when the finding is gone by the deadline", async () => {
    const h = await graceHarness();
    await promotedBuild(h, "team/single");
    const current = await promotedBuild(h, "team/single");
    const [amd64 = "sha256:"] = current.children;
    h.findings.set("team/single", amd64, "vulnerable");
    await createReconcileHandler(h.deps)(findingEvent("team/single", amd64, { time: h.clock.advance(60) }));

    h.findings.set("team/single", amd64, "clean");
    h.clock.advance(3 * 24 * 60 + 1);
    await sweep(h);
    expect((await h.tagBytes("team/single", "main"))?.equals(current.image.root.bytes)).toBe(true);
    expect(h.metrics.total("Demotions")).toBe(0);
    const state = await h.candidate(current.digest, "team/single");
    expect(state?.phase === "promoted" && state.watch?.demotion).toBeUndefined();
  });

  it("demotes at the deadline when the findings only closed because the rescan window ended", async () => {
    const h = await graceHarness();
    const previous = await promotedBuild(h, "team/single");
    const current = await promotedBuild(h, "team/single");
    const [amd64 = "sha256:"] = current.children;
    h.findings.set("team/single", amd64, "vulnerable");
    await createReconcileHandler(h.deps)(findingEvent("team/single", amd64, { time: h.clock.advance(60) }));

    h.findings.set("team/single", amd64, "expired");
    h.clock.advance(3 * 24 * 60 + 1);
    await sweep(h);
    expect((await h.tagBytes("team/single", "main"))?.equals(previous.image.root.bytes)).toBe(true);
    expect(h.bus.of("Image Unmonitored")).toHaveLength(1);
  });
});
