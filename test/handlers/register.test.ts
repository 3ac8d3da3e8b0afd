import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MediaType, ValidationError } from "../../src/core/index.ts";
import { createGateHandler, createRegisterHandler, UngateableImageError } from "../../src/handlers/index.ts";
import { rawSample } from "../events/awsSamples.ts";
import { pushTestImage, randomIndex, rawManifest } from "../support/testImages.ts";
import { ecrScanEvent, pushEvent } from "./support/events.ts";
import { harness, type Services, startServices } from "./support/harness.ts";
import { commit, pushBuild, pushLabelledList, pushSingleImage } from "./support/images.ts";

let services: Services;
beforeAll(async () => {
  services = await startServices();
});
afterAll(async () => services?.stop());

const SOURCE = "https://github.com/octo/app";

describe("register handler", () => {
  it("stores an index with its platform children (attestations skipped), git metadata and promotion tags", async () => {
    const h = await harness(services);
    const build = await pushBuild(services.client, "team/app", commit(1), {
      revision: commit(1),
      ref: "refs/heads/main",
      source: SOURCE,
    });
    const register = createRegisterHandler(h.deps);

    const result = await register(pushEvent("team/app", build.digest, build.tag));

    expect(result).toMatchObject({ kind: "registered", created: true, promotionTags: ["main", "latest"] });
    const state = await h.candidate(build.digest);
    expect(state).toMatchObject({
      phase: "scanning",
      kind: "index",
      git: { revision: commit(1), ref: "refs/heads/main", source: SOURCE },
      tags: { build: `sha-${commit(1)}`, promotion: ["main", "latest"] },
    });
    expect(state?.children.map((c) => c.platform)).toEqual(["linux/amd64", "linux/arm64"]);
    expect(state?.children.map((c) => c.digest)).toEqual(build.children);
    for (const child of build.children)
      expect(
        await h.store.candidatesOf({ region: "us-east-1", repository: "team/app", digest: child }),
      ).toEqual([state?.key]);
    const [registered] = h.bus.of("Candidate Registered");
    expect(registered?.detail).toMatchObject({
      platforms: build.children,
      git: { commit: commit(1), ref: "refs/heads/main" },
    });
    expect(h.log.lines.find((l) => l.message === "register: candidate registered")?.fields).toMatchObject({
      repository: "team/app",
      digest: build.digest,
      commit: commit(1),
    });
  });

  it("is idempotent: a redelivered push registers nothing new and publishes nothing twice", async () => {
    const h = await harness(services);
    const build = await pushBuild(services.client, "team/app", commit(2), { ref: "refs/heads/main" });
    const register = createRegisterHandler(h.deps);
    const event = pushEvent("team/app", build.digest, build.tag);

    const first = await register(event);
    const stored = await h.candidate(build.digest);
    const second = await register(event);

    expect(first).toMatchObject({ created: true });
    expect(second).toMatchObject({ kind: "registered", created: false });
    expect(await h.candidate(build.digest)).toEqual(stored);
    expect(h.bus.of("Candidate Registered")).toHaveLength(1);
  });

  it("creates the candidate once when the same push is delivered twice at the same moment", async () => {
    const h = await harness(services);
    const build = await pushBuild(services.client, "team/app", commit(12), { ref: "refs/heads/main" });
    const register = createRegisterHandler(h.deps);
    const event = pushEvent("team/app", build.digest, build.tag);

    const results = await Promise.all([register(event), register(event), register(event)]);

    expect(results.filter((r) => r.kind === "registered" && r.created)).toHaveLength(1);
    expect(results.every((r) => r.kind === "registered")).toBe(true);
    expect(h.bus.of("Candidate Registered")).toHaveLength(1);
    expect((await h.candidate(build.digest))?.version).toBe(1);
  });

  it("reads git metadata from a single image's config labels, the image being its only child", async () => {
    const h = await harness(services);
    const image = await pushSingleImage(services.client, "team/single", commit(3), {
      revision: commit(3),
      ref: "refs/tags/v1.4.2",
    });
    const result = await createRegisterHandler(h.deps)(pushEvent("team/single", image.digest, image.tag));

    expect(result).toMatchObject({ kind: "registered", promotionTags: ["1.4.2", "1.4", "1", "latest"] });
    const state = await h.candidate(image.digest, "team/single");
    expect(state).toMatchObject({ kind: "image", git: { revision: commit(3), ref: "refs/tags/v1.4.2" } });
    expect(state?.children).toEqual([
      { digest: image.digest, platform: "linux/arm64", mediaType: MediaType.OciManifest },
    ]);
  });

  it("reads git metadata from the first platform's config labels when a Docker manifest list has no annotations", async () => {
    const h = await harness(services);
    const list = await pushLabelledList(services.client, "team/app", commit(13), {
      revision: commit(13),
      ref: "refs/tags/v2.0.0-rc.1",
      source: SOURCE,
    });
    const result = await createRegisterHandler(h.deps)(pushEvent("team/app", list.digest, list.tag));

    expect(result).toMatchObject({ kind: "registered", promotionTags: ["2.0.0-rc.1"] });
    expect(await h.candidate(list.digest)).toMatchObject({
      kind: "index",
      git: { revision: commit(13), ref: "refs/tags/v2.0.0-rc.1", source: SOURCE },
      children: [
        { digest: list.children[0], platform: "linux/amd64", mediaType: MediaType.DockerManifest },
        { digest: list.children[1], platform: "linux/arm64", mediaType: MediaType.DockerManifest },
      ],
    });
  });

  it("registers a build of an unreleased branch with no promotion tags: gated and reported, never promoted", async () => {
    const h = await harness(services);
    const build = await pushBuild(services.client, "team/app", commit(4), {
      ref: "refs/heads/feature/login",
    });
    const register = createRegisterHandler(h.deps);
    const gate = createGateHandler(h.deps);

    expect(await register(pushEvent("team/app", build.digest, build.tag))).toMatchObject({
      promotionTags: [],
    });
    for (const child of build.children) h.findings.set("team/app", child, "clean");
    for (const child of build.children) await gate(ecrScanEvent("team/app", child, "COMPLETE"));

    expect(await h.candidate(build.digest)).toMatchObject({
      phase: "decided",
      decision: { outcome: "passed" },
    });
    const [decided] = h.bus.of("Release Decided");
    expect(decided?.detail).toMatchObject({
      outcome: "passed",
      reasons: ['passed, but not promoted: branch "feature/login" matches none of branches ["main"]'],
    });
    expect(h.bus.of("Image Promoted")).toEqual([]);
    expect(await h.tagBytes("team/app", "feature-login")).toBeUndefined();
    expect(await h.store.candidatesDue("decided", h.clock.now().toISOString())).toEqual([]);
  });

  it("ignores a push of a tag that is not a build tag, saying why", async () => {
    const h = await harness(services);
    const build = await pushBuild(services.client, "team/app", commit(5));
    const register = createRegisterHandler(h.deps);

    for (const tag of ["latest", undefined, `sha-${"A".repeat(40)}`]) {
      const result = await register(pushEvent("team/app", build.digest, tag));
      expect(result).toMatchObject({
        kind: "ignored",
        reason: expect.stringContaining("is not a build tag"),
      });
    }
    expect(await h.candidate(build.digest)).toBeUndefined();
    expect(h.metrics.total("EventsIgnored", { handler: "register" })).toBe(3);
  });

  it("refuses a build tag whose commit contradicts the image's revision", async () => {
    const h = await harness(services);
    const build = await pushBuild(services.client, "team/app", commit(6), {
      revision: commit(7),
      ref: "refs/heads/main",
    });
    const result = await createRegisterHandler(h.deps)(pushEvent("team/app", build.digest, build.tag));

    expect(result).toMatchObject({
      kind: "refused",
      field: "detail.image-tag",
      reason: expect.stringContaining(commit(7)),
    });
    expect(await h.candidate(build.digest)).toBeUndefined();
  });

  it("throws UngateableImageError for an index with no platform image, storing nothing", async () => {
    const h = await harness(services);
    const index = await randomIndex();
    const body = JSON.parse(index.root.bytes.toString("utf8")) as {
      manifests: { platform?: { os: string } }[];
    };
    const root = rawManifest(MediaType.OciIndex, {
      manifests: body.manifests.filter((m) => m.platform?.os === "unknown"),
    });
    await pushTestImage(
      services.client,
      "team/app",
      { ...index, root, manifests: [...index.manifests.slice(0, -1), root] },
      `sha-${commit(8)}`,
    );

    const registering = createRegisterHandler(h.deps)(pushEvent("team/app", root.digest, `sha-${commit(8)}`));
    await expect(registering).rejects.toThrow(UngateableImageError);
    await expect(registering).rejects.toThrow(/manifest\.manifests: 2 has no platform image/);
    expect(await h.candidate(root.digest)).toBeUndefined();
    expect(h.bus.published).toEqual([]);
  });

  it("throws a ValidationError naming the field for AWS's sample as published (placeholder digest)", async () => {
    const h = await harness(services);
    const register = createRegisterHandler(h.deps);
    const error = await register(rawSample("ecr-image-action.push.json")).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toContainEqual(
      expect.objectContaining({ field: "detail.image-digest", value: expect.stringMatching(/^sha256:7f5b/) }),
    );
    expect(h.bus.published).toEqual([]);
  });

  it("throws a ValidationError naming detail-type for an event meant for another handler", async () => {
    const h = await harness(services);
    const build = await pushBuild(services.client, "team/app", commit(9));
    const error = await createRegisterHandler(h.deps)(
      ecrScanEvent("team/app", build.digest, "COMPLETE"),
    ).catch((e: unknown) => e);

    expect((error as ValidationError).issues).toEqual([
      expect.objectContaining({
        field: "detail-type",
        value: "ECR Image Scan",
        message: expect.stringContaining("image-pushed"),
      }),
    ]);
  });

  it.each([
    ["another account", { account: "210987654321" }, "account"],
    ["an unconfigured region", { region: "eu-central-1" }, "region"],
  ])("refuses a push from %s, counting it and storing nothing", async (_what, overrides, field) => {
    const h = await harness(services);
    const build = await pushBuild(services.client, "team/app", commit(10), { ref: "refs/heads/main" });
    const result = await createRegisterHandler(h.deps)(
      pushEvent("team/app", build.digest, build.tag, overrides),
    );

    expect(result).toMatchObject({ kind: "refused", field });
    expect(await h.candidate(build.digest)).toBeUndefined();
    expect(h.metrics.total("EventsRefused", { handler: "register", field })).toBe(1);
    expect(h.log.lines.some((l) => l.level === "warn" && l.fields.field === field)).toBe(true);
  });

  it("refuses a push to a repository Portcullis does not gate", async () => {
    const h = await harness(services);
    const build = await pushBuild(services.client, "other/app", commit(11), { ref: "refs/heads/main" });
    const result = await createRegisterHandler(h.deps)(pushEvent("other/app", build.digest, build.tag));

    expect(result).toMatchObject({ kind: "refused", field: "repository", value: "other/app" });
    expect(
      await h.store.getCandidate({ region: "us-east-1", repository: "other/app", digest: build.digest }),
    ).toBeUndefined();
  });
});
