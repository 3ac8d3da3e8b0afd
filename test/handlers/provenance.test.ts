import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Digest } from "../../src/core/index.ts";
import { createGateHandler, createRegisterHandler } from "../../src/handlers/index.ts";
import { attachProvenance } from "../../src/local/build/attachProvenance.ts";
import { ecrScanEvent, pushEvent } from "./support/events.ts";
import { type Harness, harness, type Services, startServices, testPolicy } from "./support/harness.ts";
import { commit, pushBuild } from "./support/images.ts";

let services: Services;
beforeAll(async () => {
  services = await startServices();
});
afterAll(async () => services?.stop());

describe("the policy's provenance requirement", () => {
  it("fails closed, per platform, when the index carries no build provenance naming the repository and commit", async () => {
    const policy = {
      ...testPolicy(),
      provenance: { required: true, sourceRepository: "https://github.com/org/app" },
    };
    const h = await harness(services, { policy });
    const id = commit(4242);
    const build = await pushBuild(services.client, "team/app", id, { revision: id, ref: "refs/heads/main" });
    await createRegisterHandler(h.deps)(pushEvent("team/app", build.digest, build.tag));
    for (const child of build.children) h.findings.set("team/app", child, "clean");
    const gate = createGateHandler(h.deps);
    for (const child of build.children)
      await gate(ecrScanEvent("team/app", child, "COMPLETE", { time: h.clock.advance(1) }));

    expect(await h.candidate(build.digest)).toMatchObject({
      phase: "decided",
      decision: { outcome: "failed" },
    });
    expect(h.bus.of("Release Decided").map((e) => e.detail)).toEqual([
      expect.objectContaining({
        outcome: "failed",
        reasons: [
          "linux/amd64: no build provenance attestation in the index (fail closed)",
          "linux/arm64: no build provenance attestation in the index (fail closed)",
        ],
      }),
    ]);
    expect(await h.tagBytes("team/app", "main")).toBeUndefined();
  });

  it("is not checked when the policy does not require it (the same build passes)", async () => {
    const h = await harness(services);
    const id = commit(4243);
    const build = await pushBuild(services.client, "team/app", id, { revision: id, ref: "refs/heads/main" });
    await createRegisterHandler(h.deps)(pushEvent("team/app", build.digest, build.tag));
    for (const child of build.children) h.findings.set("team/app", child, "clean");
    const gate = createGateHandler(h.deps);
    for (const child of build.children)
      await gate(ecrScanEvent("team/app", child, "COMPLETE", { time: h.clock.advance(1) }));
    expect(await h.candidate(build.digest)).toMatchObject({ phase: "promoted" });
  });

  const required = {
    ...testPolicy(),
    provenance: { required: true, sourceRepository: "https://github.com/org/app" },
  };

  /** A build as the local pipeline pushes it: buildah's index, then the provenance attachProvenance adds. */
  async function builtWithProvenance(n: number, provenance: { commit?: string; source?: string } = {}) {
    const id = commit(n);
    const build = await pushBuild(
      services.client,
      "team/app",
      id,
      { revision: id, ref: "refs/heads/main" },
      false,
    );
    const digest = await attachProvenance({
      client: services.client,
      repository: "team/app",
      index: build.digest,
      tag: build.tag,
      git: {
        commit: provenance.commit ?? id,
        source: provenance.source ?? "https://github.com/org/app",
        ref: "refs/heads/main",
      },
      dockerfile: "Dockerfile",
      startedOn: "2026-12-08T00:00:00.000Z",
      finishedOn: "2026-12-08T00:01:00.000Z",
    });
    return { ...build, digest };
  }

  async function gateClean(h: Harness, build: { digest: Digest; tag: string; children: readonly Digest[] }) {
    await createRegisterHandler(h.deps)(pushEvent("team/app", build.digest, build.tag));
    for (const child of build.children) h.findings.set("team/app", child, "clean");
    const gate = createGateHandler(h.deps);
    for (const child of build.children)
      await gate(ecrScanEvent("team/app", child, "COMPLETE", { time: h.clock.advance(1) }));
  }

  it("promotes when every platform's provenance names the required repository and the image's commit", async () => {
    const h = await harness(services, { policy: required });
    const build = await builtWithProvenance(4250);
    await gateClean(h, build);
    expect(await h.candidate(build.digest)).toMatchObject({
      phase: "promoted",
      decision: { outcome: "passed" },
    });
    expect((await services.client.headManifest("team/app", "main"))?.digest).toBe(build.digest);
  });

  it.each([
    [
      "another commit",
      { commit: commit(1) },
      `provenance names commit ${commit(1)}, not ${commit(4251)}`,
      4251,
    ],
    [
      "another repository",
      { source: "https://github.com/evil/app" },
      "provenance names source https://github.com/evil/app, not https://github.com/org/app",
      4252,
    ],
  ])("fails closed, with the reason, when the provenance names %s", async (_, provenance, detail, n) => {
    const h = await harness(services, { policy: required });
    const build = await builtWithProvenance(n, provenance);
    await gateClean(h, build);
    expect(await h.candidate(build.digest)).toMatchObject({
      phase: "decided",
      decision: { outcome: "failed" },
    });
    expect(h.bus.of("Release Decided").map((e) => e.detail)).toEqual([
      expect.objectContaining({
        outcome: "failed",
        reasons: [`linux/amd64: ${detail} (fail closed)`, `linux/arm64: ${detail} (fail closed)`],
      }),
    ]);
    expect((await services.client.headManifest("team/app", "main"))?.digest).not.toBe(build.digest);
  });
});
