import type { Digest } from "../../core/digest.ts";
import type { Descriptor, RawManifest } from "../manifest.ts";
import { mapLimit } from "../mapLimit.ts";
import type { RegistryClient } from "../remote/RegistryClient.ts";
import type { BlobFanOut } from "./fanOutBlobs.ts";
import { readTree } from "./readTree.ts";

/** A manifest to PUT and the reference to PUT it under (its digest; the root under the destination's tag). */
export interface ManifestPush {
  readonly manifest: RawManifest;
  readonly reference: string;
}

/**
 * What one destination lacks, in the order it is written: `lacking` blobs (the fan-out sends them), then
 * `manifests` level by level, each level once the one before is in, the root last. More manifests whose
 * subject is in the image (referrers) are more levels after the root, their blobs more `needed` ones.
 */
export interface DestinationPlan {
  /** Every blob the destination's manifests need, present or not (progress totals). */
  readonly needed: readonly Descriptor[];
  /** The needed blobs a HEAD found missing. */
  readonly lacking: readonly Descriptor[];
  readonly manifests: readonly (readonly ManifestPush[])[];
  /** Child manifests the destination already has (skipped with everything under them). */
  readonly manifestsSkipped: number;
}

/** One destination to plan for. */
export interface PlanTarget {
  readonly target: RegistryClient;
  readonly repository: string;
  /** Where the root goes: the destination's tag, or the root's digest. */
  readonly reference: string;
}

/**
 * Plans one destination: walks the tree below `root` against it (children it holds are skipped) and HEADs
 * every blob the rest need.
 * @example const plan = await planDestination(root, { target, repository: "app", reference: "1.2" }, readSource, 4);
 */
export async function planDestination(
  root: RawManifest,
  destination: PlanTarget,
  readSource: (digest: Digest) => Promise<RawManifest>,
  concurrency: number,
): Promise<DestinationPlan> {
  const { target, repository } = destination;
  const tree = await readTree(root, { readSource, target, targetRepository: repository, concurrency });
  const present = await mapLimit(tree.blobs, concurrency, (blob) =>
    target.blobExists(repository, blob.digest),
  );
  return {
    needed: tree.blobs,
    lacking: tree.blobs.filter((_, i) => !present[i]),
    manifests: [
      ...tree.levels.map((level) => level.map((manifest) => ({ manifest, reference: manifest.digest }))),
      [{ manifest: root, reference: destination.reference }],
    ],
    manifestsSkipped: tree.skipped,
  };
}

/**
 * The blob fan-out of some plans: each distinct lacking blob once, with every destination lacking it,
 * largest first (the longest transfer starts first, so it does not finish last alone).
 */
export function blobFanOuts(plans: readonly (DestinationPlan | undefined)[]): BlobFanOut[] {
  const byDigest = new Map<Digest, { blob: Descriptor; destinations: number[] }>();
  plans.forEach((plan, index) => {
    for (const blob of plan?.lacking ?? []) {
      const entry = byDigest.get(blob.digest) ?? { blob, destinations: [] };
      byDigest.set(blob.digest, entry);
      entry.destinations.push(index);
    }
  });
  return [...byDigest.values()].sort((a, b) => b.blob.size - a.blob.size);
}

/** Reads source manifests by digest once, however many destinations' plans need them. */
export function sharedReader(
  read: (digest: Digest) => Promise<RawManifest>,
): (digest: Digest) => Promise<RawManifest> {
  const cache = new Map<Digest, Promise<RawManifest>>();
  return (digest) => {
    let manifest = cache.get(digest);
    if (!manifest) {
      manifest = read(digest);
      cache.set(digest, manifest);
      manifest.catch(() => cache.delete(digest));
    }
    return manifest;
  };
}
