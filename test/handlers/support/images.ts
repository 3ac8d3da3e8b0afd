import type { Digest } from "../../../src/core/index.ts";
import { MediaType } from "../../../src/core/index.ts";
import type { RegistryClient } from "../../../src/registry/index.ts";
import {
  descriptorOf,
  memoryBlob,
  memoryLayer,
  pushTestImage,
  randomIndex,
  rawManifest,
  type TestImage,
} from "../../support/testImages.ts";

/** A commit id that differs per `n`. */
export function commit(n: number): string {
  return n.toString(16).padStart(40, "c");
}

/** Git metadata as the build writes it. */
export interface GitFields {
  readonly revision?: string;
  readonly ref?: string;
  readonly source?: string;
}

/** A pushed multi-platform build: its index digest, its platform images, the exact index bytes. */
export interface PushedBuild {
  readonly digest: Digest;
  readonly children: readonly Digest[];
  readonly image: TestImage;
  readonly tag: string;
}

/**
 * Pushes a two-platform OCI index with buildx-style attestation manifests (unless `attestations` is false:
 * as buildah pushes it) and the git metadata as index annotations, under its build tag `sha-<commit>`.
 */
export async function pushBuild(
  client: RegistryClient,
  repository: string,
  commitId: string,
  git: GitFields = {},
  attestations = true,
): Promise<PushedBuild> {
  const index = await randomIndex({ sharedLayers: [2048], platformLayers: [1024], attestations });
  const body = JSON.parse(index.root.bytes.toString("utf8")) as {
    manifests: { platform?: { os: string } }[];
  };
  const root = rawManifest(MediaType.OciIndex, {
    manifests: body.manifests,
    annotations: annotationsOf(git),
  });
  const image: TestImage = { ...index, root, manifests: [...index.manifests.slice(0, -1), root] };
  const tag = `sha-${commitId}`;
  await pushTestImage(client, repository, image, tag);
  const children = body.manifests
    .filter((m) => m.platform?.os !== "unknown")
    .map((m) => (m as unknown as { digest: Digest }).digest);
  return { digest: root.digest, children, image, tag };
}

/** Pushes a single-platform image whose git metadata is in its config labels (no index). */
export async function pushSingleImage(
  client: RegistryClient,
  repository: string,
  commitId: string,
  git: GitFields,
): Promise<PushedBuild> {
  const image = await labelledImage("arm64", git);
  const tag = `sha-${commitId}`;
  await pushTestImage(client, repository, image, tag);
  return { digest: image.root.digest, children: [image.root.digest], image, tag };
}

/**
 * Pushes a Docker manifest list (no annotations) of two platform images whose configs carry the git
 * metadata as labels, as `docker build --label` writes them.
 */
export async function pushLabelledList(
  client: RegistryClient,
  repository: string,
  commitId: string,
  git: GitFields,
): Promise<PushedBuild> {
  const images = [await labelledImage("amd64", git, true), await labelledImage("arm64", git, true)];
  const root = rawManifest(MediaType.DockerManifestList, {
    manifests: images.map((image, i) => ({
      ...descriptorOf(image.root),
      platform: { os: "linux", architecture: i === 0 ? "amd64" : "arm64" },
    })),
  });
  const image: TestImage = {
    root,
    manifests: [...images.map((i) => i.root), root],
    blobs: images.flatMap((i) => i.blobs),
  };
  const tag = `sha-${commitId}`;
  await pushTestImage(client, repository, image, tag);
  return { digest: root.digest, children: images.map((i) => i.root.digest), image, tag };
}

async function labelledImage(architecture: string, git: GitFields, docker = false): Promise<TestImage> {
  const layer = await memoryLayer(1024, docker);
  const config = memoryBlob(
    Buffer.from(
      JSON.stringify({
        architecture,
        os: "linux",
        config: { Labels: annotationsOf(git) },
        rootfs: { type: "layers", diff_ids: [layer.diffId] },
      }),
    ),
    docker ? MediaType.DockerConfig : MediaType.OciConfig,
  );
  const root = rawManifest(docker ? MediaType.DockerManifest : MediaType.OciManifest, {
    config: config.descriptor,
    layers: [layer.descriptor],
  });
  return { root, manifests: [root], blobs: [config, layer] };
}

function annotationsOf(git: GitFields): Record<string, string> {
  return {
    ...(git.revision && { "org.opencontainers.image.revision": git.revision }),
    ...(git.ref && { "org.opencontainers.image.ref.name": git.ref }),
    ...(git.source && { "org.opencontainers.image.source": git.source }),
  };
}
