import type { Digest } from "../../core/digest.ts";
import { type Descriptor, isDistributable, parseManifest, type RawManifest } from "../manifest.ts";
import { mapLimit } from "../mapLimit.ts";
import type { RegistryClient } from "../remote/RegistryClient.ts";

/** What a copy must write below the root: blobs, and child manifests grouped deepest level first. */
export interface CopyTree {
  readonly blobs: readonly Descriptor[];
  /** `levels[0]` holds the deepest manifests; every level may be pushed once the one before is done. */
  readonly levels: readonly (readonly RawManifest[])[];
  /** Child manifests the target already has (skipped with everything under them). */
  readonly skipped: number;
}

/** Where a tree is read from (a source manifest by digest, verified) and the target it is compared with. */
export interface TreeEnds {
  readonly readSource: (digest: Digest) => Promise<RawManifest>;
  readonly target: RegistryClient;
  readonly targetRepository: string;
  readonly concurrency: number;
}

/**
 * Walks an image or index from `root`: fetches each child manifest by digest (verified), skipping any
 * child the target already holds, and gathers the distinct blobs the rest need.
 * https://github.com/opencontainers/image-spec/blob/main/image-index.md
 */
export async function readTree(root: RawManifest, ends: TreeEnds): Promise<CopyTree> {
  const blobs = new Map<Digest, Descriptor>();
  const levels: RawManifest[][] = [];
  let skipped = 0;
  async function visit(manifest: RawManifest, depth: number): Promise<void> {
    const parsed = parseManifest(manifest);
    if (parsed.kind === "image") {
      for (const blob of [parsed.config, ...parsed.layers.filter(isDistributable)])
        blobs.set(blob.digest, blob);
      return;
    }
    await mapLimit(parsed.manifests, ends.concurrency, async (child) => {
      if (await ends.target.headManifest(ends.targetRepository, child.digest)) {
        skipped++;
        return;
      }
      const raw = await ends.readSource(child.digest);
      await visit(raw, depth + 1);
      const level = levels[depth] ?? [];
      levels[depth] = level;
      level.push(raw);
    });
  }
  await visit(root, 0);
  return { blobs: [...blobs.values()], levels: levels.filter(Boolean).reverse(), skipped };
}
