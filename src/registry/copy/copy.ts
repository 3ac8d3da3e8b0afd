import type { Digest } from "../../core/digest.ts";
import { ValidationError } from "../../core/ValidationError.ts";
import { RegistryError, registryErrorFrom } from "../errors.ts";
import type { RawManifest } from "../manifest.ts";
import { mapLimit } from "../mapLimit.ts";
import { parseEcrHost } from "../name/parseEcrHost.ts";
import type { Reference } from "../name/reference.ts";
import { formatReference, manifestReference } from "../name/referenceFormat.ts";
import { type CopiedReferrer, copyReferrers } from "../referrers/copyReferrers.ts";
import type { RegistryClient } from "../remote/RegistryClient.ts";
import { type RetryOptions, retryDefaults } from "../transport/withRetries.ts";
import { type CopyProgress, ProgressTracker } from "./CopyProgress.ts";
import { copyBlobs } from "./copyBlobs.ts";
import { readTree } from "./readTree.ts";

/** What to copy where, and how. */
export interface CopyOptions {
  readonly source: RegistryClient;
  readonly target: RegistryClient;
  /** The image or index to copy (tag or digest). */
  readonly from: Reference;
  /** Where to: a tag, a digest (must match) or neither (pushed by digest only). */
  readonly to: Reference;
  /** Blobs and manifests in flight at once. */
  readonly concurrency?: number;
  /** Upload blobs larger than this in PATCH chunks (omit for monolithic PUTs; ECR needs monolithic). */
  readonly chunkSize?: number;
  readonly retry?: RetryOptions;
  readonly onProgress?: (progress: CopyProgress) => void;
  /** Bring the referrers (signatures, SBOMs, attestations, recursively) of the root and its manifests; default true. */
  readonly referrers?: boolean;
}

/** What a finished copy did. */
export interface CopyResult {
  readonly digest: Digest;
  readonly mediaType: string;
  /** The target, e.g. `127.0.0.1:5001/app:1.2`. */
  readonly target: string;
  readonly progress: CopyProgress;
  readonly seconds: number;
  /** The referrers brought along (empty with `referrers: false`). */
  readonly referrers: readonly CopiedReferrer[];
}

/** Copy defaults: 4 blobs in flight, monolithic uploads, the transport's retry policy. */
export const copyDefaults = { concurrency: 4, retry: retryDefaults } as const;

/**
 * Copies an image or index digest-identically: blobs first (concurrently, skipping what the target
 * has), then child manifests by digest, the root last, so no reader sees an index with missing
 * children. Run again after a failure, it sends only what is missing.
 * @example await copy({ source, target, from: parsed("a:5000/app:1"), to: parsed("b:5000/app:1"), onProgress })
 */
export async function copy(options: CopyOptions): Promise<CopyResult> {
  const started = performance.now();
  const what = `copying ${formatReference(options.from)} to ${formatReference(options.to)}`;
  checkChunkSize(options);
  try {
    const progress = new ProgressTracker(options.onProgress);
    await checkSourceTag(options.source, options.from);
    const root = await options.source.getManifest(options.from.repository, manifestReference(options.from));
    checkPinnedDigest(options.to, root);
    await writeTree(root, options, progress);
    const referrers = options.referrers === false ? [] : await copyReferrers(referrerCopy(root, options));
    progress.phase("done");
    const target = formatReference({ ...options.to, digest: root.digest });
    return {
      digest: root.digest,
      mediaType: root.mediaType,
      target,
      progress: progress.snapshot,
      seconds: (performance.now() - started) / 1000,
      referrers,
    };
  } catch (error) {
    throw registryErrorFrom(error, what);
  }
}

/** The referrer copy for a copied root: each referrer goes through this engine by digest, without its own referrer walk. */
function referrerCopy(root: RawManifest, options: CopyOptions) {
  const { from, to } = options;
  return {
    ...options,
    root,
    sourceRepository: from.repository,
    targetRepository: to.repository,
    concurrency: options.concurrency ?? copyDefaults.concurrency,
    copyManifest: async (digest: Digest) => {
      const ends = {
        from: { ...from, tag: undefined, digest },
        to: { registry: to.registry, repository: to.repository },
      };
      await copy({ ...options, ...ends, referrers: false, onProgress: undefined });
    },
  };
}

/** The codes a registry answers a manifest PUT with when a blob it references is not (yet) linked. */
const BLOB_UNKNOWN_CODES = ["MANIFEST_BLOB_UNKNOWN", "BLOB_UNKNOWN"];

/**
 * Writes blobs, children and the root. Another writer racing us for the same blobs can make a manifest
 * PUT fail with MANIFEST_BLOB_UNKNOWN (distribution 2.8 does while a concurrent upload of the same digest
 * commits): check the blobs again, send what is missing, and write the manifests once more.
 */
async function writeTree(root: RawManifest, options: CopyOptions, progress: ProgressTracker): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await copyBelow(root, options, progress, attempt === 1);
      await options.target.putManifest(options.to.repository, options.to.tag ?? root.digest, root);
      progress.add({ manifestsPushed: 1 });
      return;
    } catch (error) {
      if (attempt >= 2 || !isBlobUnknown(error)) throw error;
      progress.add({ retries: 1 });
    }
  }
}

function isBlobUnknown(error: unknown): boolean {
  return error instanceof RegistryError && error.codes.some((code) => BLOB_UNKNOWN_CODES.includes(code));
}

async function copyBelow(
  root: RawManifest,
  options: CopyOptions,
  progress: ProgressTracker,
  firstPass: boolean,
): Promise<void> {
  const concurrency = options.concurrency ?? copyDefaults.concurrency;
  const repos = { sourceRepository: options.from.repository, targetRepository: options.to.repository };
  const tree = await readTree(root, { ...options, ...repos, concurrency });
  if (firstPass) progress.add({ manifestsSkipped: tree.skipped });
  progress.phase("blobs");
  const retry = options.retry ?? copyDefaults.retry;
  await copyBlobs(tree.blobs, {
    ...options,
    ...repos,
    concurrency,
    retry,
    chunkSize: options.chunkSize,
    progress,
    countTotals: firstPass,
  });
  progress.phase("manifests");
  for (const level of tree.levels) {
    await mapLimit(level, concurrency, async (manifest) => {
      await options.target.putManifest(options.to.repository, manifest.digest, manifest);
      progress.add({ manifestsPushed: 1 });
    });
  }
}

/**
 * ECR's chunked upload does not follow the distribution spec: an intermediate PATCH answers 201
 * instead of 202 and its Range stops advancing after the first chunk, so later chunks are lost. ECR
 * takes one PUT per blob (its own layer parts are up to 20 MiB: Amazon ECR API Reference,
 * UploadLayerPart). Refuse chunking there before anything is sent.
 */
function checkChunkSize(options: CopyOptions): void {
  const host = options.target.registry;
  if (options.chunkSize === undefined || !parseEcrHost(host)) return;
  throw new ValidationError("copy options", [
    {
      field: "chunkSize",
      value: options.chunkSize,
      message: `is not supported for the ECR registry ${host} (ECR's chunked upload differs from the distribution spec and loses chunks); omit it to upload each blob in one PUT`,
    },
  ]);
}

/**
 * A source named by tag and digest (`repo:t@sha256:…`) must be one image: the tag must point at that
 * digest. Otherwise refuse, naming both, rather than silently copying the digest (skopeo refuses too).
 */
async function checkSourceTag(source: RegistryClient, from: Reference): Promise<void> {
  if (from.tag === undefined || from.digest === undefined) return;
  const tagged = await source.headManifest(from.repository, from.tag);
  if (tagged?.digest === from.digest) return;
  const is = tagged ? `is ${tagged.digest}` : "does not exist";
  const why = `the source names tag ${from.tag} and digest ${from.digest}, but tag ${from.tag} ${is}`;
  throw new RegistryError({ message: why, errors: [{ code: "DIGEST_INVALID", message: why }] });
}

function checkPinnedDigest(to: Reference, root: RawManifest): void {
  if (to.digest === undefined || to.digest === root.digest) return;
  const why = `the target is pinned to ${to.digest} but the source is ${root.digest}`;
  throw new RegistryError({ message: why, errors: [{ code: "DIGEST_INVALID", message: why }] });
}
