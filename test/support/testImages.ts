import { Readable, Writable } from "node:stream";
import {
  ATTESTATION_MANIFEST,
  ATTESTATION_REFERENCE_TYPE,
  type Digest,
  MediaType,
} from "../../src/core/index.ts";
import { type Descriptor, digestOf, type RawManifest } from "../../src/registry/manifest.ts";
import type { RegistryClient } from "../../src/registry/remote/RegistryClient.ts";
import { writeRandomLayer } from "./tarLayer.ts";

/** A blob of a test image: its descriptor and a way to read it (memory or file). */
export interface TestBlob {
  readonly descriptor: Descriptor;
  open(): Readable;
}

/** A test image or index: blobs, manifests children-first, and the root manifest last. */
export interface TestImage {
  readonly root: RawManifest;
  readonly manifests: readonly RawManifest[];
  readonly blobs: readonly TestBlob[];
}

/** A platform, as written in an index. */
export interface Platform {
  readonly architecture: string;
  readonly os: string;
}

/** Options for {@link randomIndex}. */
export interface RandomIndexOptions {
  readonly platforms?: readonly Platform[];
  /** Sizes (uncompressed bytes) of layers every platform shares. */
  readonly sharedLayers?: readonly number[];
  /** Sizes of each platform's own layers. */
  readonly platformLayers?: readonly number[];
  /** Add a buildx-style attestation manifest per platform (OCI only). */
  readonly attestations?: boolean;
  /** Docker media types (manifest list + schema 2) instead of OCI. */
  readonly docker?: boolean;
  /** Makes a layer of a given size (in memory by default; see `fileLayer` for large ones). */
  readonly makeLayer?: (size: number, docker: boolean) => Promise<TestBlob & { diffId: Digest }>;
}

const defaults = {
  platforms: [
    { architecture: "amd64", os: "linux" },
    { architecture: "arm64", os: "linux" },
  ],
  sharedLayers: [64 * 1024],
  platformLayers: [8 * 1024],
  attestations: true,
  docker: false,
  makeLayer: memoryLayer,
} satisfies Required<RandomIndexOptions>;

/** A random gzipped tar layer held in memory. */
export async function memoryLayer(size: number, docker = false): Promise<TestBlob & { diffId: Digest }> {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  const info = await writeRandomLayer(size, sink);
  const mediaType = docker
    ? "application/vnd.docker.image.rootfs.diff.tar.gzip"
    : "application/vnd.oci.image.layer.v1.tar+gzip";
  return { ...memoryBlob(Buffer.concat(chunks), mediaType), diffId: info.diffId };
}

/** A blob from bytes. */
export function memoryBlob(bytes: Buffer, mediaType: string): TestBlob {
  return {
    descriptor: { mediaType, digest: digestOf(bytes), size: bytes.length },
    open: () => Readable.from([bytes]),
  };
}

/** Serializes a manifest as a registry would store it. */
export function rawManifest(mediaType: string, body: object): RawManifest {
  const bytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType, ...body }, null, 2));
  return { mediaType, digest: digestOf(bytes), bytes };
}

/**
 * A single-platform image from the given layers: config blob, layers, manifest.
 * @example const image = await imageFrom([await memoryLayer(1024)], { architecture: "amd64", os: "linux" })
 */
export function imageFrom(
  layers: readonly (TestBlob & { diffId: Digest })[],
  platform: Platform,
  docker = false,
): TestImage {
  const configType = docker ? MediaType.DockerConfig : MediaType.OciConfig;
  const config = memoryBlob(
    Buffer.from(
      JSON.stringify({
        ...platform,
        rootfs: { type: "layers", diff_ids: layers.map((l) => l.diffId) },
        config: {},
      }),
    ),
    configType,
  );
  const root = rawManifest(docker ? MediaType.DockerManifest : MediaType.OciManifest, {
    config: config.descriptor,
    layers: layers.map((l) => l.descriptor),
  });
  return { root, manifests: [root], blobs: [config, ...layers] };
}

/** A random single-platform OCI (or Docker) image. */
export async function randomImage(
  layerSizes: readonly number[] = [16 * 1024],
  docker = false,
): Promise<TestImage> {
  const layers = await Promise.all(layerSizes.map((size) => memoryLayer(size, docker)));
  return imageFrom(layers, { architecture: "amd64", os: "linux" }, docker);
}

/**
 * A random multi-platform index (OCI with attestation manifests by default, or a Docker manifest list).
 * @example const index = await randomIndex({ sharedLayers: [1 << 20] })
 */
export async function randomIndex(options: RandomIndexOptions = {}): Promise<TestImage> {
  const o = { ...defaults, ...options };
  const shared = await Promise.all(o.sharedLayers.map((size) => o.makeLayer(size, o.docker)));
  const images: TestImage[] = [];
  const entries: Descriptor[] = [];
  for (const platform of o.platforms) {
    const own = await Promise.all(o.platformLayers.map((size) => o.makeLayer(size, o.docker)));
    const image = imageFrom([...shared, ...own], platform, o.docker);
    images.push(image);
    entries.push({ ...descriptorOf(image.root), platform });
  }
  if (o.attestations && !o.docker) images.push(...entries.map((entry) => attestation(entry.digest)));
  const attestationEntries = images
    .slice(o.platforms.length)
    .map((a, i) => attestationEntry(a.root, entries[i]?.digest));
  const root = rawManifest(o.docker ? MediaType.DockerManifestList : MediaType.OciIndex, {
    manifests: [...entries, ...attestationEntries],
  });
  return { root, manifests: [...images.flatMap((i) => i.manifests), root], blobs: uniqueBlobs(images) };
}

function attestation(subject: Digest): TestImage {
  const statement = memoryBlob(
    Buffer.from(JSON.stringify({ _type: "https://in-toto.io/Statement/v0.1", subject })),
    "application/vnd.in-toto+json",
  );
  const config = memoryBlob(
    Buffer.from(
      JSON.stringify({
        architecture: "unknown",
        os: "unknown",
        config: {},
        rootfs: { type: "layers", diff_ids: [statement.descriptor.digest] },
      }),
    ),
    MediaType.OciConfig,
  );
  const root = rawManifest(MediaType.OciManifest, {
    config: config.descriptor,
    layers: [statement.descriptor],
  });
  return { root, manifests: [root], blobs: [config, statement] };
}

function attestationEntry(manifest: RawManifest, subject: Digest | undefined): Descriptor {
  return {
    ...descriptorOf(manifest),
    platform: { architecture: "unknown", os: "unknown" },
    annotations: {
      "vnd.docker.reference.digest": subject ?? "",
      [ATTESTATION_REFERENCE_TYPE]: ATTESTATION_MANIFEST,
    },
  };
}

/** The descriptor pointing at a manifest. */
export function descriptorOf(manifest: RawManifest): Descriptor {
  return { mediaType: manifest.mediaType, digest: manifest.digest, size: manifest.bytes.length };
}

function uniqueBlobs(images: readonly TestImage[]): TestBlob[] {
  const byDigest = new Map(images.flatMap((i) => i.blobs).map((b) => [b.descriptor.digest, b]));
  return [...byDigest.values()];
}

/**
 * Pushes a test image with the project's client: blobs, then manifests children-first, then the root
 * under `tag` (or its digest).
 */
export async function pushTestImage(
  client: RegistryClient,
  repository: string,
  image: TestImage,
  tag?: string,
): Promise<void> {
  for (const blob of image.blobs) {
    if (!(await client.blobExists(repository, blob.descriptor.digest)))
      await client.pushBlob(repository, blob.descriptor, async () => blob.open());
  }
  for (const manifest of image.manifests.slice(0, -1))
    await client.putManifest(repository, manifest.digest, manifest);
  await client.putManifest(repository, tag ?? image.root.digest, image.root);
}
