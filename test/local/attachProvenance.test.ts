import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MediaType } from "../../src/core/index.ts";
import { attachProvenance, LOCAL_BUILDER_ID } from "../../src/local/build/attachProvenance.ts";
import { readProvenance } from "../../src/provenance/readProvenance.ts";
import { createRegistryClient, parseManifest, type RegistryClient } from "../../src/registry/index.ts";
import { platformChildren } from "../../src/release/platformChildren.ts";
import { commit, pushBuild } from "../handlers/support/images.ts";
import { startRegistry, type TestRegistry } from "../support/registry.ts";

let registry: TestRegistry;
let client: RegistryClient;
beforeAll(async () => {
  registry = await startRegistry();
  client = createRegistryClient(registry.host, { insecure: true });
});
afterAll(async () => registry?.stop());

const git = { commit: commit(77), source: "https://github.com/Org/App.git", ref: "refs/heads/main" };
const attach = (index: `sha256:${string}`, tag: string) =>
  attachProvenance({
    client,
    repository: "local/app",
    index,
    tag,
    git,
    dockerfile: "Dockerfile.offline",
    startedOn: "2026-12-08T00:00:00.000Z",
    finishedOn: "2026-12-08T00:01:00.000Z",
  });

describe("the local build's provenance (what buildah does not write, as BuildKit stores it)", () => {
  it("adds one unknown/unknown attestation manifest per platform, which the provenance check reads and the gate does not list as a platform", async () => {
    const build = await pushBuild(client, "local/app", git.commit, { revision: git.commit }, false);
    const digest = await attach(build.digest, build.tag);
    expect(digest).not.toBe(build.digest);
    expect((await client.headManifest("local/app", build.tag))?.digest).toBe(digest);

    const index = await client.getManifest("local/app", digest);
    const body = JSON.parse(index.bytes.toString("utf8")) as {
      annotations?: Record<string, string>;
      manifests: { digest: string; platform?: { os: string }; annotations?: Record<string, string> }[];
    };
    expect(body.annotations).toEqual({ "org.opencontainers.image.revision": git.commit });
    const attestations = body.manifests.filter((m) => m.platform?.os === "unknown");
    expect(attestations.map((m) => m.annotations)).toEqual(
      build.children.map((child) => ({
        "vnd.docker.reference.type": "attestation-manifest",
        "vnd.docker.reference.digest": child,
      })),
    );
    const manifest = parseManifest(await client.getManifest("local/app", attestations[0]?.digest ?? ""));
    expect(manifest.kind === "image" && manifest.layers).toEqual([
      expect.objectContaining({
        mediaType: "application/vnd.in-toto+json",
        annotations: { "in-toto.io/predicate-type": "https://slsa.dev/provenance/v1" },
      }),
    ]);

    const facts = await readProvenance(client, "local/app", index);
    expect(Object.keys(facts).sort()).toEqual([...build.children].sort());
    for (const child of build.children)
      expect(facts[child]).toEqual({
        predicateType: "https://slsa.dev/provenance/v1",
        source: "https://github.com/org/app",
        revision: git.commit,
        builder: LOCAL_BUILDER_ID,
      });

    const children = platformChildren(JSON.parse(index.bytes.toString("utf8")), MediaType.OciIndex);
    expect(children.ok && children.value.map((c) => c.platform)).toEqual(["linux/amd64", "linux/arm64"]);
  });

  it("leaves an index that already carries attestation manifests as it is (a rebuild of the same commit)", async () => {
    const build = await pushBuild(client, "local/app", commit(78), { revision: commit(78) });
    expect(await attach(build.digest, build.tag)).toBe(build.digest);
    expect((await client.headManifest("local/app", build.tag))?.digest).toBe(build.digest);
  });
});
