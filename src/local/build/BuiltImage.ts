import type { Digest } from "../../core/index.ts";
import { copy, type RegistryClient } from "../../registry/index.ts";
import type { GitInfo } from "./gitInfo.ts";

/** An index the build script pushed to the primary registry. */
export interface BuiltImage {
  readonly repository: string;
  /** `sha-<commit>`. */
  readonly tag: string;
  readonly digest: Digest;
  readonly git: GitInfo;
}

/**
 * Pushes an already built index under the same build tag to another repository of the same registry
 * (blobs mounted, manifests byte-identical, so the digest is unchanged): how the end-to-end tests give
 * each scenario its own repository from one build.
 * @example const image = await republish(client, built, "e2e/fail");
 */
export async function republish(
  client: RegistryClient,
  built: BuiltImage,
  repository: string,
): Promise<BuiltImage> {
  if (repository === built.repository) return built;
  const result = await copy({
    source: client,
    target: client,
    from: { registry: client.registry, repository: built.repository, digest: built.digest },
    to: { registry: client.registry, repository, tag: built.tag },
  });
  return { ...built, repository, digest: result.digest };
}
