import type { Digest } from "../../core/digest.ts";
import { type Descriptor, isDistributable, parseManifest, type RawManifest } from "../manifest.ts";
import { mapLimit } from "../mapLimit.ts";
import type { CopyEnds } from "./CopyEnds.ts";

/** What a copy must write below the root: blobs, and child manifests grouped deepest level first. */
export interface CopyTree {
  readonly blobs: readonly Descriptor[];
  /** `levels[0]` holds the deepest manifests; every level may be pushed once the one before is done. */
  readonly levels: readonly (readonly RawManifest[])[];
  /** Child manifests the target already has (skipped with everything under them). */
  readonly skipped: number;
}

/**
 * Walks an image or index from `root`: fetches each child manifest by digest (verified), skipping any
 * child the target already holds, and gathers the distinct blobs the rest need.
 * https://github.com/opencontainers/image-spec/blob/main/image-index.md
 */
export async function readTree(root: RawManifest, sources: CopyEnds): Promise<CopyTree> {
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
    await mapLimit(parsed.manifests, sources.concurrency, async (child) => {
      if (await sources.target.headManifest(sources.targetRepository, child.digest)) {
        skipped++;
        return;
      }
      const raw = await sources.source.getManifest(sources.sourceRepository, child.digest);
      await visit(raw, depth + 1);
      const level = levels[depth] ?? [];
      levels[depth] = level;
      level.push(raw);
    });
  }
  await visit(root, 0);
  return { blobs: [...blobs.values()], levels: levels.filter(Boolean).reverse(), skipped };
}
