import type { IncomingHttpHeaders } from "node:http";
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
import { pushTestImage, randomIndex, type TestImage } from "../support/testImages.ts";

const retry: RetryOptions = { retries: 2, baseDelayMs: 10, maxDelayMs: 50, maxRetryAfterMs: 1_000 };

let a: TestRegistry;
let b: TestRegistry;
let lying: FaultProxy;
let source: RegistryClient;
let target: RegistryClient;
let image: TestImage;

beforeAll(async () => {
  [a, b] = await Promise.all([startRegistry(), startRegistry()]);
  lying = await startFaultProxy(a.host);
  source = createRegistryClient(lying.host, { retry });
  target = createRegistryClient(b.host, { retry });
  image = await randomIndex();
  const direct = createRegistryClient(a.host);
  await pushTestImage(direct, "app", image, "v1");
  direct.close();
});
afterAll(async () => {
  source?.close();
  target?.close();
  await lying?.stop();
  await Promise.all([a?.stop(), b?.stop()]);
});
beforeEach(() => lying.faults([]));

function ref(text: string): Reference {
  const parsed = parseReference(text);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
  return parsed.value;
}

async function copyTo(repository: string, from = `${lying.host}/app:v1`): Promise<RegistryError> {
  const error = await copy({
    source,
    target,
    from: ref(from),
    to: ref(`${b.host}/${repository}:v1`),
    retry,
  }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(RegistryError);
  return error as RegistryError;
}

/** The target holds nothing at all of the image: no tag, no manifest, no blob. */
async function expectNothingWritten(repository: string): Promise<void> {
  expect(await target.listTags(repository)).toEqual([]);
  for (const manifest of image.manifests)
    expect(await target.headManifest(repository, manifest.digest)).toBeUndefined();
  for (const blob of image.blobs)
    expect(await target.blobExists(repository, blob.descriptor.digest)).toBe(false);
}

const addSpace = (body: Buffer, headers: IncomingHttpHeaders) => ({
  body: Buffer.concat([body, Buffer.from(" ")]),
  headers,
});

describe("copy refuses bad input and writes nothing", () => {
  it("refuses an index whose bytes do not match the digest the registry announces", async () => {
    lying.faults([{ method: "GET", path: /manifests\/v1$/, fault: { kind: "rewrite", rewrite: addSpace } }]);
    const error = await copyTo("lie/root");
    expect(error.codes).toContain("DIGEST_INVALID");
    expect(error.message).toMatch(/hashes to sha256:[a-f0-9]{64}, not sha256:/);
    await expectNothingWritten("lie/root");
  });

  it("refuses a child manifest whose bytes do not match the digest it was fetched by", async () => {
    const child = image.manifests[0]?.digest ?? "";
    lying.faults([
      {
        method: "GET",
        path: new RegExp(`manifests/${child}`),
        fault: { kind: "rewrite", rewrite: addSpace },
      },
    ]);
    const error = await copyTo("lie/child");
    expect(error.codes).toContain("DIGEST_INVALID");
    expect(error.message).toContain(child);
    await expectNothingWritten("lie/child");
  });

  it("refuses a blob whose bytes do not match its digest, before any manifest is written", async () => {
    const blob = image.blobs[0]?.descriptor.digest ?? "";
    const flip = (body: Buffer, headers: IncomingHttpHeaders) => {
      const copyOf = Buffer.from(body);
      copyOf[0] = (copyOf[0] ?? 0) ^ 0xff;
      return { body: copyOf, headers };
    };
    lying.faults([
      { method: "GET", path: new RegExp(`blobs/${blob}`), fault: { kind: "rewrite", rewrite: flip } },
    ]);
    const error = await copyTo("lie/blob");
    expect(error.codes).toContain("DIGEST_INVALID");
    expect(error.message).toContain(`copying blob ${blob}`);
    expect(await target.listTags("lie/blob")).toEqual([]);
    expect(await target.blobExists("lie/blob", blob as `sha256:${string}`)).toBe(false);
    for (const manifest of image.manifests)
      expect(await target.headManifest("lie/blob", manifest.digest)).toBeUndefined();
  });

  it("refuses a manifest served with an unsupported media type, naming it", async () => {
    const schema1 = "application/vnd.docker.distribution.manifest.v1+prettyjws";
    const retype = (body: Buffer, headers: IncomingHttpHeaders) => ({
      body,
      headers: { ...headers, "content-type": schema1 },
    });
    lying.faults([{ method: "GET", path: /manifests\/v1$/, fault: { kind: "rewrite", rewrite: retype } }]);
    const error = await copyTo("unsupported");
    expect(error.codes).toContain("UNSUPPORTED");
    expect(error.message).toContain(schema1);
    await expectNothingWritten("unsupported");
  });

  it("refuses a manifest that is not JSON", async () => {
    const garbage = (_body: Buffer, headers: IncomingHttpHeaders) => {
      const { "docker-content-digest": _dropped, ...rest } = headers;
      return { body: Buffer.from("<html>"), headers: rest };
    };
    lying.faults([{ method: "GET", path: /manifests\/v1$/, fault: { kind: "rewrite", rewrite: garbage } }]);
    const error = await copyTo("garbage");
    expect(error.codes).toContain("MANIFEST_INVALID");
    await expectNothingWritten("garbage");
  });

  it("fails with MANIFEST_UNKNOWN for an unknown digest or tag", async () => {
    const unknown = `sha256:${"1".repeat(64)}`;
    const byDigest = await copyTo("unknown", `${lying.host}/app@${unknown}`);
    expect(byDigest.status).toBe(404);
    expect(byDigest.codes).toContain("MANIFEST_UNKNOWN");
    expect(byDigest.message).toContain(unknown);
    const byTag = await copyTo("unknown", `${lying.host}/app:missing`);
    expect(byTag.codes).toContain("MANIFEST_UNKNOWN");
    await expectNothingWritten("unknown");
  });

  it("refuses a source whose tag and digest disagree, naming both, and writes nothing", async () => {
    const child = image.manifests.find((m) => m.digest !== image.root.digest)?.digest;
    const mismatch = await copyTo("disagree", `${lying.host}/app:v1@${child}`);
    expect(mismatch.codes).toContain("DIGEST_INVALID");
    expect(mismatch.message).toContain(`tag v1 and digest ${child}, but tag v1 is ${image.root.digest}`);
    const missing = await copyTo("disagree", `${lying.host}/app:gone@${image.root.digest}`);
    expect(missing.message).toContain(
      `tag gone and digest ${image.root.digest}, but tag gone does not exist`,
    );
    await expectNothingWritten("disagree");
    const agreeing = await copy({
      source,
      target,
      from: ref(`${lying.host}/app:v1@${image.root.digest}`),
      to: ref(`${b.host}/agree:v1`),
      retry,
    });
    expect(agreeing.digest).toBe(image.root.digest);
  });

  it("refuses a target pinned to another digest", async () => {
    const other = `sha256:${"2".repeat(64)}`;
    const error = await copy({
      source,
      target,
      from: ref(`${lying.host}/app:v1`),
      to: ref(`${b.host}/pinned@${other}`),
      retry,
    }).catch((e: unknown) => e);
    expect((error as RegistryError).codes).toContain("DIGEST_INVALID");
    expect((error as RegistryError).message).toContain(other);
    await expectNothingWritten("pinned");
  });
});
