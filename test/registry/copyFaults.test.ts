import { once } from "node:events";
import { createServer, type Socket } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  copy,
  createRegistryClient,
  parseReference,
  type Reference,
  type RegistryClient,
  RegistryError,
  type RetryOptions,
} from "../../src/registry/index.ts";
import { type FaultProxy, startFaultProxy } from "../support/faultProxy.ts";
import { startRegistry, type TestRegistry } from "../support/registry.ts";
import { skopeoRaw } from "../support/skopeo.ts";
import { pushTestImage, randomImage, randomIndex, type TestImage } from "../support/testImages.ts";

const retry: RetryOptions = { retries: 4, baseDelayMs: 20, maxDelayMs: 200, maxRetryAfterMs: 5_000 };

let a: TestRegistry;
let b: TestRegistry;
let proxyA: FaultProxy;
let proxyB: FaultProxy;
let source: RegistryClient;
let target: RegistryClient;
let direct: RegistryClient;

beforeAll(async () => {
  [a, b] = await Promise.all([startRegistry(), startRegistry()]);
  [proxyA, proxyB] = await Promise.all([startFaultProxy(a.host), startFaultProxy(b.host)]);
  source = createRegistryClient(proxyA.host, { retry });
  target = createRegistryClient(proxyB.host, { retry });
  direct = createRegistryClient(b.host);
});
afterAll(async () => {
  for (const client of [source, target, direct]) client?.close();
  await Promise.all([proxyA?.stop(), proxyB?.stop()]);
  await Promise.all([a?.stop(), b?.stop()]);
});
beforeEach(() => {
  for (const proxy of [proxyA, proxyB]) {
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
  const pusher = createRegistryClient(a.host);
  await pushTestImage(pusher, repository, index, "v1");
  pusher.close();
  return index;
}

async function copyToB(repository: string, client = target) {
  return copy({
    source,
    target: client,
    from: ref(`${proxyA.host}/${repository}:v1`),
    to: ref(`${proxyB.host}/${repository}:v1`),
    retry,
  });
}

async function expectIdentical(repository: string, image: TestImage): Promise<void> {
  for (const manifest of image.manifests) {
    expect((await skopeoRaw(`${b.host}/${repository}@${manifest.digest}`)).equals(manifest.bytes)).toBe(true);
  }
}

/** Nothing of the image's manifests is readable at B: no reader can see a partial index. */
async function expectNoManifests(repository: string, image: TestImage): Promise<void> {
  expect(await direct.listTags(repository)).toEqual([]);
  for (const manifest of image.manifests)
    expect(await direct.headManifest(repository, manifest.digest)).toBeUndefined();
}

/** Matches a URL holding the digest, whether its colon is escaped (`?digest=sha256%3A…`) or not. */
const hexOf = (digest: string | undefined) =>
  new RegExp(`sha256(?::|%3A)${digest?.slice("sha256:".length) ?? "none"}`);

const largest = (image: TestImage) =>
  [...image.blobs].sort((x, y) => y.descriptor.size - x.descriptor.size)[0]?.descriptor;

describe("copy through faults", () => {
  it("succeeds through bursts of 5xx and 429 on every kind of request", async () => {
    const image = await sourceImage("faults/bursts");
    proxyA.faults([
      {
        method: "GET",
        path: /manifests/,
        times: 1,
        fault: { kind: "status", status: 429, headers: { "retry-after": "0" } },
      },
    ]);
    proxyB.faults([
      { method: "HEAD", path: /\/blobs\//, times: 2, fault: { kind: "status", status: 503 } },
      { method: "POST", times: 2, fault: { kind: "status", status: 500 } },
      { method: "PUT", path: /\/blobs\/uploads\//, times: 2, fault: { kind: "status", status: 502 } },
      { method: "PUT", path: /\/manifests\//, times: 2, fault: { kind: "status", status: 503 } },
    ]);
    const result = await copyToB("faults/bursts");
    expect(result.digest).toBe(image.root.digest);
    expect(proxyB.seen.filter((r) => r.status >= 500)).toHaveLength(8);
    expect(proxyA.seen.filter((r) => r.status === 429)).toHaveLength(1);
    await expectIdentical("faults/bursts", image);
  });

  it("resends a blob whose upload connection dropped mid-body", async () => {
    const image = await sourceImage("faults/drop-upload");
    const big = largest(image);
    proxyB.faults([
      {
        method: "PUT",
        path: hexOf(big?.digest),
        times: 1,
        fault: { kind: "drop-request", afterBytes: 512 * 1024 },
      },
    ]);
    const result = await copyToB("faults/drop-upload");
    const total = image.blobs.reduce((sum, blob) => sum + blob.descriptor.size, 0);
    expect(result.progress.retries).toBeGreaterThanOrEqual(1);
    expect(result.progress.bytesSent).toBe(total);
    expect(proxyB.uploadedBytes()).toBeGreaterThan(total);
    await expectIdentical("faults/drop-upload", image);
  });

  it("starts a chunked blob again when a PATCH dropped mid-body lost the registry's upload session", async () => {
    const image = await sourceImage("faults/drop-chunk");
    proxyB.faults([{ method: "PATCH", times: 1, fault: { kind: "drop-request", afterBytes: 64 * 1024 } }]);
    const result = await copy({
      source,
      target,
      from: ref(`${proxyA.host}/faults/drop-chunk:v1`),
      to: ref(`${proxyB.host}/faults/drop-chunk:v1`),
      chunkSize: 256 * 1024,
      retry,
    });
    expect(result.progress.retries).toBeGreaterThanOrEqual(1);
    await expectIdentical("faults/drop-chunk", image);
  });

  it("re-reads a blob whose download dropped mid-body", async () => {
    const image = await sourceImage("faults/drop-download");
    const big = largest(image);
    proxyA.faults([
      {
        method: "GET",
        path: new RegExp(`blobs/${big?.digest}`),
        times: 1,
        fault: { kind: "drop-response", afterBytes: 512 * 1024 },
      },
    ]);
    const result = await copyToB("faults/drop-download");
    expect(result.progress.retries).toBeGreaterThanOrEqual(1);
    expect(
      proxyA.seen.filter((r) => r.method === "GET" && r.path.includes(big?.digest ?? "none")).length,
    ).toBeGreaterThanOrEqual(2);
    await expectIdentical("faults/drop-download", image);
  });

  it("says how many bytes of how many arrived when the source closes a download", async () => {
    const image = await sourceImage("faults/drop-message");
    const big = largest(image);
    proxyA.faults([
      {
        method: "GET",
        path: new RegExp(`blobs/${big?.digest}`),
        fault: { kind: "drop-response", afterBytes: 512 * 1024 },
      },
    ]);
    const once = { ...retry, retries: 0 };
    const error = await copy({
      source,
      target,
      from: ref(`${proxyA.host}/faults/drop-message:v1`),
      to: ref(`${proxyB.host}/faults/drop-message:v1`),
      retry: once,
    }).catch((e: unknown) => e);
    expect((error as RegistryError).message).toMatch(
      new RegExp(`the source ${proxyA.host} closed the connection after \\d+ of ${big?.size} bytes`),
    );
  });

  it("times out a response slower than the timeout and retries it; slow but timely responses just work", async () => {
    const image = await sourceImage("faults/slow");
    const impatient = createRegistryClient(proxyB.host, { retry, timeoutMs: 2_000 });
    proxyB.faults([
      { method: "HEAD", path: /\/blobs\//, times: 1, fault: { kind: "delay", ms: 6_000 } },
      { method: "PUT", path: /\/manifests\//, fault: { kind: "delay", ms: 200 } },
    ]);
    try {
      const result = await copyToB("faults/slow", impatient);
      expect(result.digest).toBe(image.root.digest);
    } finally {
      impatient.close();
    }
    await expectIdentical("faults/slow", image);
  });

  it("fails cleanly when a blob keeps failing, and a second run sends only the missing blobs", async () => {
    const image = await sourceImage("faults/resume");
    const big = largest(image);
    proxyB.faults([{ method: "PUT", path: hexOf(big?.digest), fault: { kind: "status", status: 503 } }]);
    const error = await copyToB("faults/resume").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as RegistryError).status).toBe(503);
    expect((error as RegistryError).message).toContain(`copying blob ${big?.digest}`);
    await expectNoManifests("faults/resume", image);

    const missing = [];
    for (const blob of image.blobs)
      if (!(await direct.blobExists("faults/resume", blob.descriptor.digest))) missing.push(blob.descriptor);
    expect(missing.map((d) => d.digest)).toContain(big?.digest);
    proxyB.faults([]);
    proxyB.clear();
    const result = await copyToB("faults/resume");
    const missingBytes = missing.reduce((sum, d) => sum + d.size, 0);
    expect(proxyB.uploadedBytes()).toBe(missingBytes);
    expect(result.progress).toMatchObject({
      blobsCopied: missing.length,
      blobsSkipped: image.blobs.length - missing.length,
      bytesSent: missingBytes,
    });
    await expectIdentical("faults/resume", image);
  });

  it("fails cleanly when child manifests cannot be written, leaving no index; the rerun sends no blob", async () => {
    const image = await sourceImage("faults/children");
    proxyB.faults([{ method: "PUT", path: /\/manifests\/sha256:/, fault: { kind: "status", status: 500 } }]);
    await expect(copyToB("faults/children")).rejects.toThrow(/500/);
    await expectNoManifests("faults/children", image);
    proxyB.faults([]);
    proxyB.clear();
    const result = await copyToB("faults/children");
    expect(proxyB.uploadedBytes()).toBe(0);
    expect(result.progress.blobsSkipped).toBe(image.blobs.length);
    await expectIdentical("faults/children", image);
  });

  it("gives up on a dead registry after one retry budget, saying how many attempts and how long", async () => {
    let connections = 0;
    const dead = createServer((socket: Socket) => {
      connections++;
      socket.destroy();
    });
    dead.listen(0, "127.0.0.1");
    await once(dead, "listening");
    const host = `127.0.0.1:${(dead.address() as { port: number }).port}`;
    const image = await randomImage();
    const pusher = createRegistryClient(a.host);
    await pushTestImage(pusher, "faults/dead", image, "v1");
    pusher.close();
    const budget: RetryOptions = { retries: 3, baseDelayMs: 10, maxDelayMs: 50, maxRetryAfterMs: 1_000 };
    const deadClient = createRegistryClient(host, { retry: budget });
    try {
      const error = await copy({
        source,
        target: deadClient,
        from: ref(`${proxyA.host}/faults/dead:v1`),
        to: ref(`${host}/faults/dead:v1`),
        concurrency: 1,
        retry: budget,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RegistryError);
      expect((error as RegistryError).message).toMatch(/gave up after 4 attempts in \d+\.\d s/);
      expect(connections).toBe(4);
    } finally {
      deadClient.close();
      dead.close();
    }
  });

  it("resumes chunked uploads from the registry's offset: every copy succeeds at a 20 % fault rate", async () => {
    const seeded = seededRandom(20);
    const flaky = await startFaultProxy(b.host, { random: seeded });
    const patient: RetryOptions = { retries: 12, baseDelayMs: 5, maxDelayMs: 40, maxRetryAfterMs: 1_000 };
    const client = createRegistryClient(flaky.host, { retry: patient });
    try {
      for (let n = 0; n < 5; n++) {
        const repository = `faults/chunked-${n}`;
        const image = await sourceImage(repository);
        flaky.faults([{ chance: 0.2, fault: { kind: "status", status: 503 } }]);
        flaky.clear();
        const result = await copy({
          source,
          target: client,
          from: ref(`${proxyA.host}/${repository}:v1`),
          to: ref(`${flaky.host}/${repository}:v1`),
          chunkSize: 128 * 1024,
          retry: patient,
        });
        expect(result.digest).toBe(image.root.digest);
        expect(flaky.seen.filter((r) => r.status === 503).length).toBeGreaterThan(0);
        // Resumed, not restarted: one upload session per blob, except where a monolithic PUT (a blob
        // under the chunk size, whose streamed body cannot be replayed) failed and began a new one.
        const session = (path: string) => /\/blobs\/uploads\/([^?/]+)/.exec(path)?.[1];
        const chunked = new Set(flaky.seen.filter((r) => r.method === "PATCH").map((r) => session(r.path)));
        const failedMonolithic = flaky.seen.filter(
          (r) =>
            r.method === "PUT" && r.status === 503 && /digest=/.test(r.path) && !chunked.has(session(r.path)),
        );
        const sessions = flaky.seen.filter((r) => r.method === "POST" && r.status === 202);
        expect(chunked.size).toBeGreaterThan(0);
        expect(sessions).toHaveLength(result.progress.blobsCopied + failedMonolithic.length);
        const total = image.blobs.reduce((sum, blob) => sum + blob.descriptor.size, 0);
        expect(result.progress.bytesSent).toBe(total);
        flaky.faults([]);
        await expectIdentical(repository, image);
      }
    } finally {
      client.close();
      await flaky.stop();
    }
  });
});

/** A deterministic generator (mulberry32), so a fault pattern that fails can be replayed. */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
