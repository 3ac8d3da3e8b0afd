import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type CopyProgress,
  copy,
  createRegistryClient,
  parseReference,
  type Reference,
  type RegistryClient,
} from "../../src/registry/index.ts";
import { type FaultProxy, startFaultProxy } from "../support/faultProxy.ts";
import { startRegistry, type TestRegistry } from "../support/registry.ts";
import { skopeoCopyToOci, skopeoRaw } from "../support/skopeo.ts";
import { pushTestImage, randomImage, randomIndex, type TestImage } from "../support/testImages.ts";

let a: TestRegistry;
let b: TestRegistry;
let proxyB: FaultProxy;
let source: RegistryClient;
let target: RegistryClient;
let work: string;

beforeAll(async () => {
  [a, b] = await Promise.all([startRegistry(), startRegistry()]);
  proxyB = await startFaultProxy(b.host);
  source = createRegistryClient(a.host);
  target = createRegistryClient(proxyB.host);
  work = await mkdtemp(join(tmpdir(), "portcullis-copy-test-"));
});
afterAll(async () => {
  source?.close();
  target?.close();
  await proxyB?.stop();
  await Promise.all([a?.stop(), b?.stop()]);
  if (work) await rm(work, { recursive: true, force: true });
});

function ref(text: string): Reference {
  const parsed = parseReference(text);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
  return parsed.value;
}

/** Every manifest of the image, read back from B by skopeo, must be byte-identical. */
async function expectSkopeoReads(repository: string, image: TestImage): Promise<void> {
  for (const manifest of image.manifests) {
    const raw = await skopeoRaw(`${b.host}/${repository}@${manifest.digest}`);
    expect(raw.equals(manifest.bytes)).toBe(true);
  }
}

function sizeOf(image: TestImage): number {
  return image.blobs.reduce((sum, blob) => sum + blob.descriptor.size, 0);
}

describe("copy between two distribution registries", () => {
  it("copies an OCI index with attestation manifests digest-identically, as skopeo sees it", async () => {
    const index = await randomIndex({ sharedLayers: [512 * 1024, 64 * 1024], platformLayers: [32 * 1024] });
    await pushTestImage(source, "src/oci", index, "v1");
    const events: CopyProgress[] = [];
    const result = await copy({
      source,
      target,
      from: ref(`${a.host}/src/oci:v1`),
      to: ref(`${proxyB.host}/dst/oci:v1`),
      onProgress: (p) => events.push(p),
    });

    expect(result.digest).toBe(index.root.digest);
    expect(result.progress).toMatchObject({
      phase: "done",
      blobsTotal: index.blobs.length,
      blobsCopied: index.blobs.length,
      bytesSent: sizeOf(index),
      bytesDone: sizeOf(index),
      manifestsPushed: index.manifests.length,
    });
    expect(events.some((e) => e.phase === "blobs" && e.bytesSent > 0 && e.bytesSent < sizeOf(index))).toBe(
      true,
    );
    expect((await skopeoRaw(`${b.host}/dst/oci:v1`)).equals(index.root.bytes)).toBe(true);
    await expectSkopeoReads("dst/oci", index);
    const out = join(work, "oci-out");
    await skopeoCopyToOci(`${b.host}/dst/oci:v1`, out);
    const layout = JSON.parse(await readFile(join(out, "index.json"), "utf8")) as {
      manifests: { digest: string }[];
    };
    expect(layout.manifests.map((m) => m.digest)).toContain(index.root.digest);
  });

  it("copies a Docker manifest list unchanged", async () => {
    const list = await randomIndex({ docker: true });
    await pushTestImage(source, "src/docker", list, "v1");
    const result = await copy({
      source,
      target,
      from: ref(`${a.host}/src/docker:v1`),
      to: ref(`${proxyB.host}/dst/docker:v1`),
    });
    expect(result.mediaType).toBe("application/vnd.docker.distribution.manifest.list.v2+json");
    expect((await skopeoRaw(`${b.host}/dst/docker:v1`)).equals(list.root.bytes)).toBe(true);
    await expectSkopeoReads("dst/docker", list);
    await skopeoCopyToOci(`${b.host}/dst/docker:v1`, join(work, "docker-out"), { preserveDigests: false });
  });

  it("copies a single image by digest to an untagged target", async () => {
    const image = await randomImage([20_000, 30_000]);
    await pushTestImage(source, "src/single", image);
    const from = ref(`${a.host}/src/single@${image.root.digest}`);
    const result = await copy({ source, target, from, to: ref(`${proxyB.host}/dst/single`) });
    expect(result.target).toBe(`${proxyB.host}/dst/single@${image.root.digest}`);
    expect((await skopeoRaw(`${b.host}/dst/single@${image.root.digest}`)).equals(image.root.bytes)).toBe(
      true,
    );
    expect(await target.listTags("dst/single")).toEqual([]);
  });

  it("writes every blob before any manifest and the index last", async () => {
    const index = await randomIndex();
    await pushTestImage(source, "src/order", index, "v1");
    proxyB.clear();
    await copy({
      source,
      target,
      from: ref(`${a.host}/src/order:v1`),
      to: ref(`${proxyB.host}/dst/order:v1`),
    });
    const writes = proxyB.seen.filter((r) => r.method === "PUT");
    const firstManifest = writes.findIndex((r) => r.path.includes("/manifests/"));
    const lastBlob = writes.map((r) => r.path.includes("/blobs/uploads/")).lastIndexOf(true);
    expect(lastBlob).toBeLessThan(firstManifest);
    expect(writes.at(-1)?.path).toBe("/v2/dst/order/manifests/v1");
    expect(writes.filter((r) => r.path.includes("/manifests/"))).toHaveLength(index.manifests.length);
  });

  it("sends nothing the second time: existing child manifests and their blobs are skipped", async () => {
    const index = await randomIndex();
    await pushTestImage(source, "src/again", index, "v1");
    const from = ref(`${a.host}/src/again:v1`);
    await copy({ source, target, from, to: ref(`${proxyB.host}/dst/again:v1`) });
    proxyB.clear();
    const again = await copy({ source, target, from, to: ref(`${proxyB.host}/dst/again:v2`) });
    expect(proxyB.uploadedBytes()).toBe(0);
    expect(again.progress).toMatchObject({
      blobsCopied: 0,
      bytesSent: 0,
      manifestsSkipped: index.manifests.length - 1,
    });
    expect((await target.listTags("dst/again")).sort()).toEqual(["v1", "v2"]);
  });

  it("skips blobs the target already has when manifests are missing", async () => {
    const index = await randomIndex();
    await pushTestImage(source, "src/blobs-there", index, "v1");
    for (const blob of index.blobs)
      await target.pushBlob("dst/blobs-there", blob.descriptor, async () => blob.open());
    proxyB.clear();
    const result = await copy({
      source,
      target,
      from: ref(`${a.host}/src/blobs-there:v1`),
      to: ref(`${proxyB.host}/dst/blobs-there:v1`),
    });
    expect(result.progress).toMatchObject({ blobsCopied: 0, blobsSkipped: index.blobs.length, bytesSent: 0 });
    expect(proxyB.uploadedBytes()).toBe(0);
    await expectSkopeoReads("dst/blobs-there", index);
  });

  it("mounts blobs across repositories of the same registry instead of sending them", async () => {
    const index = await randomIndex();
    await pushTestImage(target, "mount/from", index, "v1");
    proxyB.clear();
    const result = await copy({
      source: target,
      target,
      from: ref(`${proxyB.host}/mount/from:v1`),
      to: ref(`${proxyB.host}/mount/to:v1`),
    });
    expect(result.progress).toMatchObject({ blobsMounted: index.blobs.length, blobsCopied: 0, bytesSent: 0 });
    expect(proxyB.uploadedBytes()).toBe(0);
    expect(proxyB.seen.some((r) => r.method === "POST" && r.path.includes("mount="))).toBe(true);
    await expectSkopeoReads("mount/to", index);
  });
});
