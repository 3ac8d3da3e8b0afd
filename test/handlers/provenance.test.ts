import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGateHandler, createRegisterHandler } from "../../src/handlers/index.ts";
import { ecrScanEvent, pushEvent } from "./support/events.ts";
import { harness, type Services, startServices, testPolicy } from "./support/harness.ts";
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
});
