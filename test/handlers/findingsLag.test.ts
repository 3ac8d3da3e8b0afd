import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Digest } from "../../src/core/index.ts";
import {
  createGateHandler,
  createReconcileHandler,
  createRegisterHandler,
} from "../../src/handlers/index.ts";
import { ecrScanEvent, pushEvent, scheduledEvent } from "./support/events.ts";
import { type Harness, harness, type Services, startServices } from "./support/harness.ts";
import { commit, type PushedBuild, pushBuild } from "./support/images.ts";

let services: Services;
beforeAll(async () => {
  services = await startServices();
});
afterAll(async () => services?.stop());

let commits = 700;
async function registeredBuild(h: Harness): Promise<PushedBuild> {
  const id = commit(commits++);
  const build = await pushBuild(services.client, "team/app", id, { revision: id, ref: "refs/heads/main" });
  await createRegisterHandler(h.deps)(
    pushEvent("team/app", build.digest, build.tag, { time: h.clock.now() }),
  );
  return build;
}

const ONE_CRITICAL = { CRITICAL: 1 };
const sweep = (h: Harness) => createReconcileHandler(h.deps)(scheduledEvent({ time: h.clock.now() }));

/** Delivers both platforms' scan events, the first platform's counting one CRITICAL. */
async function scanBoth(h: Harness, build: PushedBuild): Promise<void> {
  const [amd64 = "sha256:", arm64 = "sha256:"] = build.children;
  const gate = createGateHandler(h.deps);
  await gate(ecrScanEvent("team/app", arm64, "COMPLETE", { time: h.clock.advance(1) }));
  await gate(ecrScanEvent("team/app", amd64, "COMPLETE", { time: h.clock.advance(1), counts: ONE_CRITICAL }));
}

describe("findings that lag the scan (the scan event's counts are a floor)", () => {
  it("re-reads with backoff, leaves the candidate undecided, and rejects once the late CRITICAL is listed (read once per sweep)", async () => {
    const h = await harness(services, { findingsRereadMs: [1, 1] });
    const build = await registeredBuild(h);
    const [amd64 = "sha256:", arm64 = "sha256:"] = build.children as [Digest, Digest];
    h.findings.set("team/app", arm64, "clean");
    h.findings.serve("team/app", amd64, ["lagging", "lagging", "lagging", "lagging", "vulnerable"]);

    await scanBoth(h, build);
    expect(h.findings.reads(amd64)).toBe(3);
    expect(await h.candidate(build.digest)).toMatchObject({ phase: "scanning" });
    expect(h.bus.of("Release Decided")).toEqual([]);
    expect(h.metrics.total("FindingsLagging")).toBe(1);
    expect((await h.tagBytes("team/app", "main")) === undefined).toBe(true);

    h.clock.advance(10);
    await sweep(h);
    expect(h.findings.reads(amd64)).toBe(4);
    expect((await h.candidate(build.digest))?.phase).toBe("scanning");
    h.clock.advance(5);
    await sweep(h);
    const state = await h.candidate(build.digest);
    expect(state).toMatchObject({ phase: "decided", decision: { outcome: "failed" } });
    expect(JSON.stringify(state?.phase === "decided" && state.decision.reasons)).toContain("CVE-2023-38545");
    expect(h.bus.of("Image Promoted")).toEqual([]);
    expect(await h.tagBytes("team/app", "main")).toBeUndefined();
  });

  it("fails closed past the scan deadline, saying the findings were still short", async () => {
    const h = await harness(services, { findingsRereadMs: [] });
    const build = await registeredBuild(h);
    const [amd64 = "sha256:", arm64 = "sha256:"] = build.children as [Digest, Digest];
    h.findings.set("team/app", arm64, "clean");
    h.findings.set("team/app", amd64, "lagging");

    await scanBoth(h, build);
    for (const minutes of [10, 10]) {
      h.clock.advance(minutes);
      await sweep(h);
      expect((await h.candidate(build.digest))?.phase).toBe("scanning");
    }
    h.clock.advance(11);
    await sweep(h);
    const state = await h.candidate(build.digest);
    expect(state).toMatchObject({ phase: "decided", decision: { outcome: "failed" } });
    const reasons = state?.phase === "decided" ? JSON.stringify(state.decision.reasons) : "";
    expect(reasons).toMatch(/the scan event counted 1 CRITICAL findings but 0 are listed/);
    expect(reasons).toMatch(/still short at the scan deadline .* \(fail closed\)/);
    expect(h.bus.of("Release Decided").map((e) => e.detail)).toEqual([
      expect.objectContaining({ outcome: "failed" }),
    ]);
    expect(await h.tagBytes("team/app", "main")).toBeUndefined();
  });

  it("never promotes while listed findings are fewer than counted, whatever the order and redeliveries", async () => {
    for (let round = 0; round < 4; round++) {
      const h = await harness(services, { findingsRereadMs: [] });
      const build = await registeredBuild(h);
      const [amd64 = "sha256:", arm64 = "sha256:"] = build.children as [Digest, Digest];
      h.findings.set("team/app", arm64, "clean");
      h.findings.set("team/app", amd64, "lagging");
      const counted = ecrScanEvent("team/app", amd64, "COMPLETE", {
        counts: ONE_CRITICAL,
        time: h.clock.now(),
      });
      const clean = ecrScanEvent("team/app", arm64, "COMPLETE", { time: h.clock.now() });
      const events = shuffled([counted, counted, clean, clean, counted], round);
      const gate = createGateHandler(h.deps);
      await Promise.all(events.map((event) => gate(event)));
      for (let tick = 0; tick < 5; tick++) {
        h.clock.advance(9);
        await sweep(h);
        const state = await h.candidate(build.digest);
        expect(state?.phase === "promoted" || h.bus.of("Image Promoted").length > 0).toBe(false);
      }
      expect(await h.candidate(build.digest)).toMatchObject({ decision: { outcome: "failed" } });
      expect(await h.tagBytes("team/app", "main")).toBeUndefined();
    }
  });
});

/** A deterministic shuffle (a different order per seed). */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const copy = [...items];
  let state = seed + 1;
  for (let i = copy.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const j = state % (i + 1);
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}
