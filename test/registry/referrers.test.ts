import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Digest } from "../../src/core/index.ts";
import {
  copy,
  createRegistryClient,
  parseManifest,
  parseReference,
  type RawManifest,
  type Reference,
  type RegistryClient,
} from "../../src/registry/index.ts";
import { findReferrers } from "../../src/registry/referrers/findReferrers.ts";
import { referrersTag } from "../../src/registry/referrers/referrersTag.ts";
import { verifyReferrers } from "../../src/registry/referrers/verifyReferrers.ts";
import { type FaultProxy, startFaultProxy } from "../support/faultProxy.ts";
import { type ReferrersFront, startReferrersFront } from "../support/referrersFront.ts";
import { startRegistry, type TestRegistry } from "../support/registry.ts";
import { skopeoRaw } from "../support/skopeo.ts";
import { artifactFor } from "../support/testArtifacts.ts";
import {
  descriptorOf,
  pushTestImage,
  randomIndex,
  rawManifest,
  type TestImage,
} from "../support/testImages.ts";

const SIGNATURE = "application/vnd.dev.cosign.artifact.sig.v1+json";
const SBOM = "application/spdx+json";
const COUNTER = "application/vnd.example.countersignature.v1";

let plainA: TestRegistry;
let plainB: TestRegistry;
let backing: TestRegistry;
let front: ReferrersFront;
let liar: FaultProxy;
const clients: RegistryClient[] = [];

beforeAll(async () => {
  [plainA, plainB, backing] = await Promise.all([startRegistry(), startRegistry(), startRegistry()]);
  front = await startReferrersFront(backing.host);
  liar = await startFaultProxy(plainB.host);
});
afterAll(async () => {
  for (const client of clients) client.close();
  await front?.stop();
  await liar?.stop();
  await Promise.all([plainA?.stop(), plainB?.stop(), backing?.stop()]);
});

/** A fresh client per test: the referrers-API probe is remembered per client. */
function client(host: string): RegistryClient {
  const created = createRegistryClient(host);
  clients.push(created);
  return created;
}

function ref(text: string): Reference {
  const parsed = parseReference(text);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
  return parsed.value;
}

/** An index with a signature on the index, an SBOM on its amd64 image, and a countersignature on the signature. */
async function signedIndex() {
  const index = await randomIndex({ sharedLayers: [16 * 1024], platformLayers: [4 * 1024] });
  const amd64 = index.manifests.find((m) => m.digest === childDigest(index.root, "amd64")) as RawManifest;
  const signature = artifactFor(index.root, SIGNATURE, Buffer.from(`sig ${Math.random()}`), {
    "dev.sigstore.cosign/signature": "MEUCIQ",
  });
  const sbom = artifactFor(
    amd64,
    SBOM,
    Buffer.from(JSON.stringify({ spdxVersion: "SPDX-2.3", r: Math.random() })),
  );
  const counter = artifactFor(signature.root, COUNTER, Buffer.from(`counter ${Math.random()}`));
  return { index, amd64, signature, sbom, counter, artifacts: [signature, sbom, counter] };
}

function childDigest(index: RawManifest, architecture: string): Digest {
  const parsed = parseManifest(index);
  if (parsed.kind !== "index") throw new Error("not an index");
  return parsed.manifests.find((m) => m.platform?.architecture === architecture)?.digest as Digest;
}

/** The listing descriptor the spec asks for: artifactType and the manifest's annotations. */
function listing(artifact: TestImage) {
  const json = JSON.parse(artifact.root.bytes.toString("utf8")) as {
    artifactType: string;
    annotations: Record<string, string>;
  };
  return { ...descriptorOf(artifact.root), artifactType: json.artifactType, annotations: json.annotations };
}

/** Pushes the image and its artifacts to a registry without the referrers API, writing the tag schema as another tool would. */
async function pushWithTagSchema(
  to: RegistryClient,
  repository: string,
  image: Awaited<ReturnType<typeof signedIndex>>,
) {
  await pushTestImage(to, repository, image.index, "v1");
  for (const artifact of image.artifacts) await pushTestImage(to, repository, artifact);
  const tags: [RawManifest, TestImage][] = [
    [image.index.root, image.signature],
    [image.amd64, image.sbom],
    [image.signature.root, image.counter],
  ];
  for (const [subject, artifact] of tags) {
    const index = rawManifest("application/vnd.oci.image.index.v1+json", { manifests: [listing(artifact)] });
    await to.putManifest(repository, referrersTag(subject.digest), index);
  }
}

/** Every artifact reads back by digest, byte for byte, through skopeo and through our client. */
async function expectArtifactsAt(host: string, repository: string, artifacts: readonly TestImage[]) {
  const reader = client(host);
  for (const artifact of artifacts) {
    const raw = await skopeoRaw(`${host}/${repository}@${artifact.root.digest}`);
    expect(raw.equals(artifact.root.bytes)).toBe(true);
    const ours = await reader.getManifest(repository, artifact.root.digest);
    expect(ours.bytes.equals(artifact.root.bytes)).toBe(true);
    for (const blob of artifact.blobs)
      expect(await reader.blobExists(repository, blob.descriptor.digest)).toBe(true);
  }
}

describe("referrer-aware copy", () => {
  it("brings a signature, an SBOM and a referrer of that referrer between two registries without the referrers API, merging the target's tag schema", async () => {
    const image = await signedIndex();
    const source = client(plainA.host);
    const target = client(plainB.host);
    await pushWithTagSchema(source, "ts/src", image);
    const foreign = artifactFor(
      image.index.root,
      "application/vnd.example.other",
      Buffer.from("another tool's"),
    );
    await pushTestImage(target, "ts/dst", foreign);
    const existing = rawManifest("application/vnd.oci.image.index.v1+json", {
      manifests: [listing(foreign)],
    });
    await target.putManifest("ts/dst", referrersTag(image.index.root.digest), existing);

    const result = await copy({
      source,
      target,
      from: ref(`${plainA.host}/ts/src:v1`),
      to: ref(`${plainB.host}/ts/dst:v1`),
    });

    expect(result.digest).toBe(image.index.root.digest);
    expect((await target.headManifest("ts/dst", "v1"))?.digest).toBe(image.index.root.digest);
    expect(result.referrers.map((r) => [r.subject, r.digest, r.artifactType, r.listed])).toEqual([
      [image.index.root.digest, image.signature.root.digest, SIGNATURE, "tag-schema"],
      [image.amd64.digest, image.sbom.root.digest, SBOM, "tag-schema"],
      [image.signature.root.digest, image.counter.root.digest, COUNTER, "tag-schema"],
    ]);
    await expectArtifactsAt(plainB.host, "ts/dst", image.artifacts);
    const onIndex = await findReferrers(client(plainB.host), "ts/dst", image.index.root.digest);
    expect(onIndex.via).toBe("tag-schema");
    expect(onIndex.manifests.map((d) => d.digest)).toEqual([
      foreign.root.digest,
      image.signature.root.digest,
    ]);
    expect(onIndex.manifests[1]).toEqual(listing(image.signature));
    await verifyReferrers(client(plainB.host), "ts/dst", result.referrers);
  });

  it("copies again without rewriting anything and leaves the tag-schema index as it is", async () => {
    const image = await signedIndex();
    const source = client(plainA.host);
    await pushWithTagSchema(source, "again/src", image);
    const from = ref(`${plainA.host}/again/src:v1`);
    const to = ref(`${plainB.host}/again/dst:v1`);
    await copy({ source, target: client(plainB.host), from, to });
    const tag = referrersTag(image.index.root.digest);
    const before = await client(plainB.host).getManifest("again/dst", tag);
    const second = await copy({ source: client(plainA.host), target: client(plainB.host), from, to });
    expect(second.referrers).toHaveLength(3);
    expect((await client(plainB.host).getManifest("again/dst", tag)).digest).toBe(before.digest);
  });

  it("brings them into a registry with the referrers API, which lists them itself (no sha256- tags written)", async () => {
    const image = await signedIndex();
    await pushWithTagSchema(client(plainA.host), "api/src", image);
    const target = client(front.host);

    const result = await copy({
      source: client(plainA.host),
      target,
      from: ref(`${plainA.host}/api/src:v1`),
      to: ref(`${front.host}/api/dst:v1`),
    });

    expect(result.referrers.every((r) => r.listed === "api")).toBe(true);
    expect((await target.listTags("api/dst")).filter((t) => t.startsWith("sha256-"))).toEqual([]);
    const listed = await target.listReferrers("api/dst", image.signature.root.digest);
    expect(listed?.manifests).toEqual([listing(image.counter)]);
    await expectArtifactsAt(front.host, "api/dst", image.artifacts);
    await verifyReferrers(client(front.host), "api/dst", result.referrers);
  });

  it("discovers referrers through a source's referrers API and writes the tag schema where the target lacks it", async () => {
    const image = await signedIndex();
    const source = client(front.host);
    await pushTestImage(source, "fromapi/src", image.index, "v1");
    for (const artifact of image.artifacts) await pushTestImage(source, "fromapi/src", artifact);

    const result = await copy({
      source,
      target: client(plainB.host),
      from: ref(`${front.host}/fromapi/src:v1`),
      to: ref(`${plainB.host}/fromapi/dst:v1`),
    });

    expect(result.digest).toBe(image.index.root.digest);
    expect(result.referrers.map((r) => r.digest).sort()).toEqual(
      image.artifacts.map((a) => a.root.digest).sort(),
    );
    expect(
      front.queries.some((q) => q.includes(`/fromapi/src/referrers/${image.signature.root.digest}`)),
    ).toBe(true);
    await expectArtifactsAt(plainB.host, "fromapi/dst", image.artifacts);
    const sbom = await findReferrers(client(plainB.host), "fromapi/dst", image.amd64.digest);
    expect(sbom).toMatchObject({ via: "tag-schema", manifests: [listing(image.sbom)] });
  });

  it("copies no referrer with referrers: false", async () => {
    const image = await signedIndex();
    await pushWithTagSchema(client(plainA.host), "off/src", image);
    const target = client(plainB.host);
    const result = await copy({
      source: client(plainA.host),
      target,
      from: ref(`${plainA.host}/off/src:v1`),
      to: ref(`${plainB.host}/off/dst:v1`),
      referrers: false,
    });
    expect(result.referrers).toEqual([]);
    expect(await target.headManifest("off/dst", image.signature.root.digest)).toBeUndefined();
    expect(await target.listTags("off/dst")).toEqual(["v1"]);
  });

  it("does not take a 200 that is not an OCI index for a referrers API", async () => {
    liar.faults([{ path: /\/referrers\//, fault: { kind: "status", status: 200, body: "<html>ok</html>" } }]);
    try {
      const image = await signedIndex();
      await pushWithTagSchema(client(plainB.host), "liar/src", image);
      const found = await findReferrers(client(liar.host), "liar/src", image.index.root.digest);
      expect(found).toMatchObject({ via: "tag-schema", manifests: [listing(image.signature)] });
    } finally {
      liar.faults([]);
    }
  });

  it("reports a referrer the target does not list", async () => {
    const image = await signedIndex();
    await pushWithTagSchema(client(plainA.host), "gone/src", image);
    const target = client(plainB.host);
    const result = await copy({
      source: client(plainA.host),
      target,
      from: ref(`${plainA.host}/gone/src:v1`),
      to: ref(`${plainB.host}/gone/dst:v1`),
    });
    const empty = rawManifest("application/vnd.oci.image.index.v1+json", { manifests: [] });
    await target.putManifest("gone/dst", referrersTag(image.amd64.digest), empty);
    await expect(verifyReferrers(client(plainB.host), "gone/dst", result.referrers)).rejects.toThrow(
      `referrer ${image.sbom.root.digest} of ${image.amd64.digest} is not listed in ${plainB.host}/gone/dst`,
    );
  });
});

describe("the referrers-API test front, against the distribution spec's examples", () => {
  async function pushed() {
    const image = await signedIndex();
    const c = client(front.host);
    await pushTestImage(c, "spec/app", image.index, "v1");
    for (const artifact of image.artifacts) await pushTestImage(c, "spec/app", artifact);
    return image;
  }

  it("answers 200 with an empty OCI index when nothing refers, and 400 for a malformed digest", async () => {
    const none = await fetch(`http://${front.host}/v2/spec/app/referrers/sha256:${"0".repeat(64)}`);
    expect(none.status).toBe(200);
    expect(none.headers.get("content-type")).toBe("application/vnd.oci.image.index.v1+json");
    expect(await none.json()).toEqual({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.index.v1+json",
      manifests: [],
    });
    expect((await fetch(`http://${front.host}/v2/spec/app/referrers/sha256:abc`)).status).toBe(400);
  });

  it("sets OCI-Subject on a push with a subject and lists the artifactType, falling back to the config media type", async () => {
    const image = await pushed();
    const put = await fetch(`http://${front.host}/v2/spec/app/manifests/${image.sbom.root.digest}`, {
      method: "PUT",
      headers: { "content-type": image.sbom.root.mediaType },
      body: image.sbom.root.bytes,
    });
    expect(put.headers.get("oci-subject")).toBe(image.amd64.digest);
    const noType = rawManifest("application/vnd.oci.image.manifest.v1+json", {
      config: {
        mediaType: "application/vnd.example.config.v1+json",
        digest: image.sbom.blobs[0]?.descriptor.digest,
        size: 2,
      },
      layers: [],
      subject: descriptorOf(image.amd64),
    });
    const c = client(front.host);
    await c.putManifest("spec/app", noType.digest, noType);
    const listed = await c.listReferrers("spec/app", image.amd64.digest);
    expect(listed?.manifests.map((d) => d.artifactType)).toEqual([
      SBOM,
      "application/vnd.example.config.v1+json",
    ]);
  });

  it("filters by artifactType and says so with OCI-Filters-Applied", async () => {
    const image = await pushed();
    const url = `http://${front.host}/v2/spec/app/referrers/${image.amd64.digest}?artifactType=${encodeURIComponent(SIGNATURE)}`;
    const answer = await fetch(url);
    expect(answer.headers.get("oci-filters-applied")).toBe("artifactType");
    expect(((await answer.json()) as { manifests: unknown[] }).manifests).toEqual([]);
    const filtered = await client(front.host).listReferrers("spec/app", image.amd64.digest, SBOM);
    expect(filtered).toEqual({ manifests: [listing(image.sbom)], filtered: true });
  });

  it("pages with Link: rel=next, and our client reads every page", async () => {
    const paged = await startReferrersFront(backing.host, { pageSize: 1 });
    try {
      const image = await signedIndex();
      const c = client(paged.host);
      await pushTestImage(c, "paged/app", image.index, "v1");
      const extra = artifactFor(image.index.root, SBOM, Buffer.from("second"));
      for (const artifact of [image.signature, extra]) await pushTestImage(c, "paged/app", artifact);
      const first = await fetch(`http://${paged.host}/v2/paged/app/referrers/${image.index.root.digest}`);
      expect(first.headers.get("link")).toMatch(/rel="next"/);
      const all = await c.listReferrers("paged/app", image.index.root.digest);
      expect(all?.manifests.map((d) => d.digest)).toEqual([image.signature.root.digest, extra.root.digest]);
      expect(paged.queries).toHaveLength(3);
    } finally {
      await paged.stop();
    }
  });
});
