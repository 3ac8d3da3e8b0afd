import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  copyToMany,
  createRegistryClient,
  parseReference,
  type Reference,
  type RegistryClient,
  type RetryOptions,
} from "../../src/registry/index.ts";
import { type FaultProxy, startFaultProxy } from "../support/faultProxy.ts";
import { startRegistry, type TestRegistry } from "../support/registry.ts";
import { skopeoRaw } from "../support/skopeo.ts";
import { pushTestImage, randomIndex, type TestImage } from "../support/testImages.ts";

const retry: RetryOptions = { retries: 4, baseDelayMs: 20, maxDelayMs: 200, maxRetryAfterMs: 5_000 };

let source: TestRegistry;
let proxySource: FaultProxy;
let registries: TestRegistry[];
let proxies: FaultProxy[];
let sourceClient: RegistryClient;
let targets: RegistryClient[];
let direct: RegistryClient[];

beforeAll(async () => {
  [source, ...registries] = await Promise.all([
    startRegistry(),
    startRegistry(),
    startRegistry(),
    startRegistry(),
  ]);
  proxySource = await startFaultProxy(source.host);
  proxies = await Promise.all(registries.map((r) => startFaultProxy(r.host)));
  sourceClient = createRegistryClient(proxySource.host, { retry });
  targets = proxies.map((p) => createRegistryClient(p.host, { retry }));
  direct = registries.map((r) => createRegistryClient(r.host));
});
afterAll(async () => {
  for (const client of [sourceClient, ...(targets ?? []), ...(direct ?? [])]) client?.close();
  await Promise.all([proxySource, ...(proxies ?? [])].map((p) => p?.stop()));
  await Promise.all([source, ...(registries ?? [])].map((r) => r?.stop()));
});
beforeEach(() => {
  for (const proxy of [proxySource, ...proxies]) {
    proxy.faults([]);
    proxy.clear();
  }
});

function ref(text: string): Reference {
  const parsed = parseReference(text);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
  return parsed.value;
}

async function sourceImage(repository: string): Promise<TestImage> {
  const index = await randomIndex({
    sharedLayers: [2 * 1024 * 1024, 256 * 1024],
    platformLayers: [64 * 1024],
  });
  const pusher = createRegistryClient(source.host);
  await pushTestImage(pusher, repository, index, "v1");
  pusher.close();
  return index;
}

function toAll(repository: string, which: readonly number[] = [0, 1, 2]) {
  return copyToMany({
    source: sourceClient,
    from: ref(`${proxySource.host}/${repository}:v1`),
    destinations: which.map((i) => ({
      target: targets[i] as RegistryClient,
      to: ref(`${proxies[i]?.host}/${repository}:v1`),
    })),
    retry,
  });
}

/** Blob bytes the source served (GETs under /blobs/, as the proxy counts them: requested sizes). */
function sourceBlobGets(digest?: string): number {
  return proxySource.seen.filter(
    (r) =>
      r.method === "GET" && r.path.includes("/blobs/") && (digest === undefined || r.path.includes(digest)),
  ).length;
}

const total = (image: TestImage) => image.blobs.reduce((sum, blob) => sum + blob.descriptor.size, 0);
const largest = (image: TestImage) =>
  [...image.blobs].sort((x, y) => y.descriptor.size - x.descriptor.size)[0]?.descriptor;
const hexOf = (digest: string | undefined) =>
  new RegExp(`sha256(?::|%3A)${digest?.slice("sha256:".length) ?? "none"}`);

async function expectIdentical(i: number, repository: string, image: TestImage): Promise<void> {
  const host = registries[i]?.host;
  for (const manifest of image.manifests)
    expect((await skopeoRaw(`${host}/${repository}@${manifest.digest}`)).equals(manifest.bytes)).toBe(true);
  expect((await skopeoRaw(`${host}/${repository}:v1`)).equals(image.root.bytes)).toBe(true);
}

async function expectNoManifests(i: number, repository: string, image: TestImage): Promise<void> {
  const client = direct[i] as RegistryClient;
  expect(await client.listTags(repository)).toEqual([]);
  for (const manifest of image.manifests)
    expect(await client.headManifest(repository, manifest.digest)).toBeUndefined();
}

describe("copyToMany: one read of the source for every destination", () => {
  it("reads each blob once and writes it to three registries, each read back by skopeo", async () => {
    const image = await sourceImage("fan/three");
    const result = await toAll("fan/three");
    expect(result.digest).toBe(image.root.digest);
    expect(result.destinations.map((d) => d.kind)).toEqual(["copied", "copied", "copied"]);
    for (const d of result.destinations)
      expect(d.progress).toMatchObject({
        phase: "done",
        blobsCopied: image.blobs.length,
        bytesSent: total(image),
        manifestsPushed: image.manifests.length,
      });
    for (const blob of image.blobs) expect(sourceBlobGets(blob.descriptor.digest)).toBe(1);
    expect(result.sourceBytes).toBe(total(image));
    for (const proxy of proxies) expect(proxy.uploadedBytes()).toBe(total(image));
    for (const i of [0, 1, 2]) await expectIdentical(i, "fan/three", image);
  });

  it("sends each destination only what it lacks, still reading a blob once for all who lack it", async () => {
    const image = await sourceImage("fan/partial");
    await toAll("fan/partial", [0]);
    proxySource.clear();
    for (const proxy of proxies) proxy.clear();
    const result = await toAll("fan/partial");
    expect(result.destinations.map((d) => d.kind)).toEqual(["copied", "copied", "copied"]);
    expect(proxies[0]?.uploadedBytes()).toBe(0);
    expect(result.destinations[0]?.progress).toMatchObject({ blobsCopied: 0, bytesSent: 0 });
    for (const blob of image.blobs) expect(sourceBlobGets(blob.descriptor.digest)).toBe(1);
    for (const i of [1, 2]) expect(proxies[i]?.uploadedBytes()).toBe(total(image));
    for (const i of [0, 1, 2]) await expectIdentical(i, "fan/partial", image);
  });

  it("retries alone a destination that resets mid-blob: the others get each blob once", async () => {
    const image = await sourceImage("fan/reset");
    const big = largest(image);
    proxies[1]?.faults([
      {
        method: "PUT",
        path: hexOf(big?.digest),
        times: 1,
        fault: { kind: "drop-request", afterBytes: 512 * 1024 },
      },
    ]);
    const result = await toAll("fan/reset");
    expect(result.destinations.map((d) => d.kind)).toEqual(["copied", "copied", "copied"]);
    expect(result.destinations[1]?.progress.retries).toBeGreaterThanOrEqual(1);
    expect(result.destinations[0]?.progress.retries).toBe(0);
    expect(sourceBlobGets(big?.digest)).toBe(2);
    for (const i of [0, 2]) expect(proxies[i]?.uploadedBytes()).toBe(total(image));
    expect(proxies[1]?.uploadedBytes()).toBeGreaterThan(total(image));
    for (const i of [0, 1, 2]) await expectIdentical(i, "fan/reset", image);
  });

  it("starts the read without a destination slow to open its upload, which then reads on its own", async () => {
    const image = await sourceImage("fan/slow-post");
    const big = largest(image);
    proxies[1]?.faults([{ method: "POST", times: 1, fault: { kind: "delay", ms: 4_000 } }]);
    const result = await toAll("fan/slow-post");
    expect(result.destinations.map((d) => d.kind)).toEqual(["copied", "copied", "copied"]);
    const [first, slow] = result.destinations;
    expect((slow?.seconds ?? 0) - (first?.seconds ?? 0)).toBeGreaterThan(2);
    expect(sourceBlobGets(big?.digest)).toBe(2);
    for (const i of [0, 1, 2]) expect(proxies[i]?.uploadedBytes()).toBe(total(image));
    for (const i of [0, 1, 2]) await expectIdentical(i, "fan/slow-post", image);
  });

  it("retries alone a destination answering bursts of 5xx, and all three end identical", async () => {
    const image = await sourceImage("fan/burst");
    proxies[2]?.faults([
      { method: "PUT", path: /\/blobs\/uploads\//, times: 2, fault: { kind: "status", status: 503 } },
      { method: "POST", times: 1, fault: { kind: "status", status: 500 } },
      { method: "PUT", path: /\/manifests\//, times: 1, fault: { kind: "status", status: 502 } },
    ]);
    const result = await toAll("fan/burst");
    expect(result.destinations.map((d) => d.kind)).toEqual(["copied", "copied", "copied"]);
    for (const i of [0, 1]) expect(proxies[i]?.uploadedBytes()).toBe(total(image));
    expect(proxies[2]?.seen.filter((r) => r.status >= 500)).toHaveLength(4);
    for (const i of [0, 1, 2]) await expectIdentical(i, "fan/burst", image);
  });

  it("fails only the destination that keeps failing, leaving it no manifest; its rerun sends only what it lacks", async () => {
    const image = await sourceImage("fan/dead");
    const big = largest(image);
    proxies[0]?.faults([{ method: "PUT", path: hexOf(big?.digest), fault: { kind: "status", status: 503 } }]);
    const result = await toAll("fan/dead");
    expect(result.destinations.map((d) => d.kind)).toEqual(["failed", "copied", "copied"]);
    const failed = result.destinations[0];
    expect(failed?.kind === "failed" && failed.error.message).toMatch(
      new RegExp(
        `^copying ${proxySource.host}/fan/dead:v1 to ${proxies[0]?.host}/fan/dead:v1: copying blob ${big?.digest}`,
      ),
    );
    expect(failed?.kind === "failed" && failed.error.status).toBe(503);
    await expectNoManifests(0, "fan/dead", image);
    for (const i of [1, 2]) await expectIdentical(i, "fan/dead", image);

    const lacking = [];
    for (const blob of image.blobs)
      if (!(await direct[0]?.blobExists("fan/dead", blob.descriptor.digest))) lacking.push(blob.descriptor);
    proxies[0]?.faults([]);
    for (const proxy of [proxySource, ...proxies]) proxy.clear();
    const rerun = await toAll("fan/dead");
    expect(rerun.destinations.map((d) => d.kind)).toEqual(["copied", "copied", "copied"]);
    expect(proxies[0]?.uploadedBytes()).toBe(lacking.reduce((sum, d) => sum + d.size, 0));
    for (const i of [1, 2]) expect(proxies[i]?.uploadedBytes()).toBe(0);
    expect(rerun.sourceBytes).toBe(lacking.reduce((sum, d) => sum + d.size, 0));
    await expectIdentical(0, "fan/dead", image);
  });

  it("re-reads for every destination when the source drops a download, and all end identical", async () => {
    const image = await sourceImage("fan/source-drop");
    const big = largest(image);
    proxySource.faults([
      {
        method: "GET",
        path: new RegExp(`blobs/${big?.digest}`),
        times: 1,
        fault: { kind: "drop-response", afterBytes: 512 * 1024 },
      },
    ]);
    const result = await toAll("fan/source-drop");
    expect(result.destinations.map((d) => d.kind)).toEqual(["copied", "copied", "copied"]);
    for (const i of [0, 1, 2]) await expectIdentical(i, "fan/source-drop", image);
  });

  it("throws, naming every destination, when the source has no such image", async () => {
    await expect(toAll("fan/none")).rejects.toThrow(
      new RegExp(
        `^copying ${proxySource.host}/fan/none:v1 to ${proxies[0]?.host}/fan/none:v1, ${proxies[1]?.host}/fan/none:v1, ${proxies[2]?.host}/fan/none:v1: .*(MANIFEST_UNKNOWN|manifest unknown)`,
      ),
    );
  });
});
