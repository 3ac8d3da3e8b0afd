import type { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MediaType } from "../../src/core/index.ts";
import { createRegistryClient, type RegistryClient, RegistryError } from "../../src/registry/index.ts";
import { startRegistry, type TestRegistry } from "../support/registry.ts";
import { skopeoRaw } from "../support/skopeo.ts";
import { memoryLayer, pushTestImage, randomImage, randomIndex } from "../support/testImages.ts";

let registry: TestRegistry;
let client: RegistryClient;

beforeAll(async () => {
  registry = await startRegistry();
  client = createRegistryClient(registry.host);
});
afterAll(async () => {
  client.close();
  await registry?.stop();
});

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe("HttpRegistryClient against distribution", () => {
  it("pushes an index and reads back the exact bytes, which skopeo reads too", async () => {
    const index = await randomIndex();
    await pushTestImage(client, "client/index", index, "v1");
    const got = await client.getManifest("client/index", "v1");
    expect(got.digest).toBe(index.root.digest);
    expect(got.mediaType).toBe(MediaType.OciIndex);
    expect(got.bytes.equals(index.root.bytes)).toBe(true);
    expect(
      (await skopeoRaw(`${registry.host}/client/index@${index.root.digest}`)).equals(index.root.bytes),
    ).toBe(true);
  });

  it("reads a Docker manifest list with its media type", async () => {
    const list = await randomIndex({ docker: true });
    await pushTestImage(client, "client/docker", list, "v1");
    const got = await client.getManifest("client/docker", list.root.digest);
    expect(got.mediaType).toBe(MediaType.DockerManifestList);
    const child = await client.getManifest("client/docker", list.manifests[0]?.digest ?? "");
    expect(child.mediaType).toBe(MediaType.DockerManifest);
  });

  it("HEADs manifests: a descriptor when present, undefined when not", async () => {
    const image = await randomImage();
    await pushTestImage(client, "client/head", image, "v1");
    expect(await client.headManifest("client/head", "v1")).toEqual({
      mediaType: MediaType.OciManifest,
      digest: image.root.digest,
      size: image.root.bytes.length,
    });
    expect(await client.headManifest("client/head", "v2")).toBeUndefined();
  });

  it("fails with MANIFEST_UNKNOWN and status 404 for an unknown tag", async () => {
    const error = await client.getManifest("client/head", "nope").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as RegistryError).status).toBe(404);
    expect((error as RegistryError).codes).toContain("MANIFEST_UNKNOWN");
    expect((error as RegistryError).message).toContain(
      `GET http://${registry.host}/v2/client/head/manifests/nope`,
    );
    expect((error as RegistryError).isRetryable()).toBe(false);
  });

  it("uploads a blob monolithically and streams it back verified", async () => {
    const layer = await memoryLayer(300_000);
    const repo = "client/blobs";
    expect(await client.blobExists(repo, layer.descriptor.digest)).toBe(false);
    expect(await client.pushBlob(repo, layer.descriptor, async () => layer.open())).toBe("uploaded");
    expect(await client.blobExists(repo, layer.descriptor.digest)).toBe(true);
    const back = await readAll(await client.getBlob(repo, layer.descriptor));
    expect(back.equals(await readAll(layer.open()))).toBe(true);
  });

  it("uploads a blob in PATCH chunks with Content-Range", async () => {
    const layer = await memoryLayer(250_000);
    const repo = "client/chunks";
    let sent = 0;
    const outcome = await client.pushBlob(repo, layer.descriptor, async () => layer.open(), {
      chunkSize: 64 * 1024,
      onBytes: (n) => {
        sent += n;
      },
    });
    expect(outcome).toBe("uploaded");
    expect(sent).toBe(layer.descriptor.size);
    expect(await client.blobExists(repo, layer.descriptor.digest)).toBe(true);
  });

  it("mounts a blob from another repository without sending it", async () => {
    const layer = await memoryLayer(100_000);
    await client.pushBlob("client/mount-from", layer.descriptor, async () => layer.open());
    let opened = false;
    const outcome = await client.pushBlob(
      "client/mount-to",
      layer.descriptor,
      async () => {
        opened = true;
        return layer.open();
      },
      { mountFrom: "client/mount-from" },
    );
    expect(outcome).toBe("mounted");
    expect(opened).toBe(false);
    expect(await client.blobExists("client/mount-to", layer.descriptor.digest)).toBe(true);
  });

  it("refuses to upload bytes that do not match the descriptor, and the registry keeps nothing", async () => {
    const layer = await memoryLayer(10_000);
    const other = await memoryLayer(10_000);
    const wrong = { ...layer.descriptor, size: other.descriptor.size };
    const error = await client
      .pushBlob("client/bad", wrong, async () => other.open())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as RegistryError).codes).toContain("DIGEST_INVALID");
    expect(await client.blobExists("client/bad", layer.descriptor.digest)).toBe(false);
  });

  it("streams a blob with a digest check that fails on the wrong descriptor", async () => {
    const layer = await memoryLayer(10_000);
    await client.pushBlob("client/verify", layer.descriptor, async () => layer.open());
    const lying = { ...layer.descriptor, digest: (await memoryLayer(10)).descriptor.digest };
    const error = await client
      .getBlob("client/verify", lying)
      .then(readAll, (e: unknown) => e)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryError);
  });

  it("refuses to PUT a manifest whose bytes do not match its digest", async () => {
    const image = await randomImage();
    const tampered = { ...image.root, bytes: Buffer.concat([image.root.bytes, Buffer.from(" ")]) };
    await expect(client.putManifest("client/tamper", "v1", tampered)).rejects.toThrow(/hashes to/);
    expect(await client.listTags("client/tamper")).toEqual([]);
  });

  it("lists tags, and an empty list for an unknown repository", async () => {
    const image = await randomImage();
    await pushTestImage(client, "client/tags", image, "a");
    await client.putManifest("client/tags", "b", image.root);
    expect((await client.listTags("client/tags")).sort()).toEqual(["a", "b"]);
    expect(await client.listTags("client/never")).toEqual([]);
  });

  it("fails cleanly with a network error code when nothing listens", async () => {
    const dead = createRegistryClient("127.0.0.1:1", {
      retry: { retries: 1, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1 },
    });
    const error = await dead.blobExists("x", `sha256:${"0".repeat(64)}`).catch((e: unknown) => e);
    dead.close();
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as RegistryError).networkCode).toBe("ECONNREFUSED");
  });
});
