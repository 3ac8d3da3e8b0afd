import { generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keySigner } from "../../src/attest/keySigner.ts";
import { policyDigest } from "../../src/attest/policyDigest.ts";
import { verifyImage } from "../../src/attest/verifyImage.ts";
import {
  createGateHandler,
  createReconcileHandler,
  createRegisterHandler,
} from "../../src/handlers/index.ts";
import { parsePolicy } from "../../src/policy/index.ts";
import { findReferrers } from "../../src/registry/index.ts";
import { ecrScanEvent, pushEvent, scheduledEvent } from "./support/events.ts";
import { harness, POLICY_TEXT, type Services, startServices, testPolicy } from "./support/harness.ts";
import { commit, type PushedBuild, pushBuild } from "./support/images.ts";

let services: Services;
beforeAll(async () => {
  services = await startServices();
});
afterAll(async () => services?.stop());

const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
const signer = keySigner(privateKey.export({ type: "pkcs8", format: "pem" }).toString());

let commits = 700;
async function build(repository = "team/app"): Promise<PushedBuild> {
  const id = commit(commits++);
  return pushBuild(services.client, repository, id, { revision: id, ref: "refs/heads/main" });
}

async function verify(b: PushedBuild, repository = "team/app") {
  const image = { registry: services.client.registry, repository, digest: b.digest };
  return verifyImage(services.client, image, publicKey);
}

describe("the deciding handlers attest every decision", () => {
  it("signs a pass with the platforms, the promoted tags and the policy digest, before announcing the promotion", async () => {
    const h = await harness(services);
    const deps = { ...h.deps, signer };
    const b = await build();
    await createRegisterHandler(deps)(pushEvent("team/app", b.digest, b.tag));
    for (const child of b.children) h.findings.set("team/app", child, "clean");
    const gate = createGateHandler(deps);
    for (const child of b.children)
      await gate(ecrScanEvent("team/app", child, "COMPLETE", { time: h.clock.advance(1) }));

    const outcome = await verify(b);
    expect(outcome).toMatchObject({ kind: "verified", digest: b.digest, passed: true });
    if (outcome.kind !== "verified") return;
    const { predicate, subject } = outcome.statement;
    expect(subject).toEqual([
      { name: `${services.client.registry}/team/app`, digest: { sha256: b.digest.slice(7) } },
    ]);
    expect(predicate.policy.digest.sha256).toBe(policyDigest(testPolicy()).slice(7));
    expect(predicate.portcullis).toMatchObject({
      outcome: "passed",
      promotedTags: ["main", "latest"],
      platforms: b.children.map((digest) => expect.objectContaining({ digest, status: "COMPLETE" })),
      source: { revision: expect.stringMatching(/^[a-f0-9]{40}$/) },
    });
    expect(h.bus.of("Image Promoted")).toHaveLength(1);
  });

  it("signs a rejection as FAILED with its reasons, once, however often the effects run again", async () => {
    const h = await harness(services);
    const deps = { ...h.deps, signer };
    const b = await build();
    await createRegisterHandler(deps)(pushEvent("team/app", b.digest, b.tag));
    const [amd64 = "sha256:", arm64 = "sha256:"] = b.children;
    h.findings.set("team/app", amd64, "vulnerable");
    h.findings.set("team/app", arm64, "clean");
    const gate = createGateHandler(deps);
    for (const child of [amd64, arm64])
      await gate(
        ecrScanEvent("team/app", child, "COMPLETE", { time: h.clock.advance(1), counts: { CRITICAL: 1 } }),
      );
    await createReconcileHandler(deps)(scheduledEvent({ time: h.clock.advance(60) }));

    const outcome = await verify(b);
    expect(outcome).toMatchObject({ kind: "verified", passed: false });
    if (outcome.kind !== "verified") return;
    expect(outcome.statement.predicate.verificationResult).toBe("FAILED");
    expect(outcome.statement.predicate.portcullis.reasons).toContain(
      "linux/amd64: 1 fixable CRITICAL finding, limit 0",
    );
    const referrers = await findReferrers(services.client, "team/app", b.digest);
    expect(referrers.manifests).toHaveLength(1);
  });

  it("leaves the attestation and the announcement to the reconciler when the register function decides without the key", async () => {
    const h = await harness(services, { attestation: { required: true } });
    const b = await build();
    for (const child of b.children) h.findings.set("team/app", child, "clean");
    const gate = createGateHandler({ ...h.deps, signer });
    for (const child of b.children)
      await gate(ecrScanEvent("team/app", child, "COMPLETE", { time: h.clock.advance(1) }));
    await createRegisterHandler(h.deps)(pushEvent("team/app", b.digest, b.tag));

    expect(await h.candidate(b.digest)).toMatchObject({ phase: "promoted" });
    expect(h.bus.of("Image Promoted")).toEqual([]);
    expect(await verify(b)).toMatchObject({ kind: "not-verified" });

    await createReconcileHandler({ ...h.deps, signer })(scheduledEvent({ time: h.clock.advance(60) }));
    expect(await verify(b)).toMatchObject({ kind: "verified", passed: true });
    expect(h.bus.of("Image Promoted")).toHaveLength(1);
  });

  it("lists the unsupported-image exception that let a platform through unscanned, with its expiry, owner and place in the policy", async () => {
    const policy = parsePolicy(`${POLICY_TEXT}unsupportedImages:
  - repositories: ["team/single"]
    reason: scratch image with one static binary
    owner: platform-team
    expires: 2099-12-31
`);
    if (!policy.ok) throw new Error(JSON.stringify(policy.error));
    const h = await harness(services, { policy: policy.value });
    const deps = { ...h.deps, signer };
    const b = await build("team/single");
    await createRegisterHandler(deps)(pushEvent("team/single", b.digest, b.tag, { time: h.clock.now() }));
    const [amd64 = "sha256:", arm64 = "sha256:"] = b.children;
    h.findings.set("team/single", amd64, "unsupported");
    h.findings.set("team/single", arm64, "clean");
    const gate = createGateHandler(deps);
    await gate(ecrScanEvent("team/single", arm64, "COMPLETE", { time: h.clock.advance(1) }));
    await gate(ecrScanEvent("team/single", amd64, "UNSUPPORTED_IMAGE", { time: h.clock.advance(1) }));

    const outcome = await verify(b, "team/single");
    expect(outcome).toMatchObject({ kind: "verified", passed: true });
    if (outcome.kind !== "verified") return;
    expect(outcome.statement.predicate.portcullis.exceptions).toEqual([
      {
        kind: "unsupported-image",
        id: "linux/amd64",
        platforms: ["linux/amd64"],
        expiresAt: "2100-01-01T00:00:00.000Z",
        owner: "platform-team",
        reason: "scratch image with one static binary",
        entry: "unsupportedImages[0]",
      },
    ]);
  });
});
