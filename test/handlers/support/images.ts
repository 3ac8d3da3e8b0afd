import type { Digest } from "../../../src/core/index.ts";
import { MediaType } from "../../../src/core/index.ts";
import type { RegistryClient } from "../../../src/registry/index.ts";
import {
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
 * Pushes a two-platform OCI index with buildx-style attestation manifests and the git metadata as index
 * annotations, under its build tag `sha-<commit>`.
 */
export async function pushBuild(
  client: RegistryClient,
  repository: string,
  commitId: string,
  git: GitFields = {},
): Promise<PushedBuild> {
  const index = await randomIndex({ sharedLayers: [2048], platformLayers: [1024] });
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
  const layer = await memoryLayer(1024);
  const config = memoryBlob(
    Buffer.from(
      JSON.stringify({
        architecture: "arm64",
        os: "linux",
        config: { Labels: annotationsOf(git) },
        rootfs: { type: "layers", diff_ids: [layer.diffId] },
      }),
    ),
    MediaType.OciConfig,
  );
  const root = rawManifest(MediaType.OciManifest, { config: config.descriptor, layers: [layer.descriptor] });
  const image: TestImage = { root, manifests: [root], blobs: [config, layer] };
  const tag = `sha-${commitId}`;
  await pushTestImage(client, repository, image, tag);
  return { digest: root.digest, children: [root.digest], image, tag };
}

function annotationsOf(git: GitFields): Record<string, string> {
  return {
    ...(git.revision && { "org.opencontainers.image.revision": git.revision }),
    ...(git.ref && { "org.opencontainers.image.ref.name": git.ref }),
    ...(git.source && { "org.opencontainers.image.source": git.source }),
  };
}
