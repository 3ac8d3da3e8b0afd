import type { Digest } from "../../core/digest.ts";
import { ValidationError } from "../../core/ValidationError.ts";
import { RegistryError, registryErrorFrom } from "../errors.ts";
import type { Descriptor, RawManifest } from "../manifest.ts";
import { parseEcrHost } from "../name/parseEcrHost.ts";
import type { Reference } from "../name/reference.ts";
import { formatReference, manifestReference } from "../name/referenceFormat.ts";
import { copyReferrers } from "../referrers/copyReferrers.ts";
import type { RegistryClient } from "../remote/RegistryClient.ts";
import { type RetryOptions, retryDefaults } from "../transport/withRetries.ts";
import type { CopyProgress } from "./CopyProgress.ts";
import { type CopyDestination, DestinationCopy, type DestinationResult } from "./DestinationCopy.ts";
import { type FanOutEnds, fanOutBlobs } from "./fanOutBlobs.ts";
import { blobFanOuts, sharedReader } from "./planCopy.ts";

/** What to copy to which destinations, and how. */
export interface CopyToManyOptions {
  readonly source: RegistryClient;
  /** The image or index to copy (tag or digest). */
  readonly from: Reference;
  readonly destinations: readonly CopyDestination[];
  /** Blobs in flight at once (each to every destination lacking it); manifests too. */
  readonly concurrency?: number;
  /** Upload blobs larger than this in PATCH chunks (omit for monolithic PUTs; ECR needs monolithic). */
  readonly chunkSize?: number;
  readonly retry?: RetryOptions;
  /** Called with a destination's progress (and its index) whenever it changes. */
  readonly onProgress?: (progress: CopyProgress, destination: number) => void;
  /** Bring the referrers (signatures, SBOMs, attestations, recursively) of the root and its manifests; default true. */
  readonly referrers?: boolean;
}

/** What a fan-out copy did. */
export interface CopyToManyResult {
  readonly digest: Digest;
  readonly mediaType: string;
  /** One per destination, in order: copied, or failed with its error. */
  readonly destinations: readonly DestinationResult[];
  /** Blob bytes read from the source: each lacking blob once, plus what retries read again. */
  readonly sourceBytes: number;
  readonly seconds: number;
}

/** Copy defaults: 4 blobs in flight, monolithic uploads, the transport's retry policy. */
export const copyDefaults = { concurrency: 4, retry: retryDefaults } as const;

/**
 * Copies an image or index digest-identically to several destinations, reading each blob once: a plan of
 * what each destination lacks → the blob fan-out (each lacking blob streamed from one read to every
 * destination lacking it, the slowest pacing the read) → each destination's manifests once all of its
 * blobs are in, the root last → the result per destination. A destination that fails does not stop the
 * others, and is never left with a manifest whose blobs are missing; run again, it copies only what it
 * still lacks. Throws only when the source cannot be read (or the options are invalid).
 * @example const r = await copyToMany({ source, from, destinations: [{ target: eu, to }, { target: ap, to }] })
 */
export async function copyToMany(options: CopyToManyOptions): Promise<CopyToManyResult> {
  const started = performance.now();
  checkChunkSize(options);
  const root = await readRoot(options);
  const concurrency = options.concurrency ?? copyDefaults.concurrency;
  const readSource = sharedReader((digest) => options.source.getManifest(options.from.repository, digest));
  let sourceBytes = 0;
  const copies: DestinationCopy[] = [];
  const ends = (destinations: readonly DestinationCopy[]): FanOutEnds => ({
    source: options.source,
    sourceRepository: options.from.repository,
    destinations: destinations.map((d) => ({
      target: d.destination.target,
      repository: d.repository,
      progress: d.progress,
    })),
    concurrency,
    retry: options.retry ?? copyDefaults.retry,
    chunkSize: options.chunkSize,
    isFailed: (i) => destinations[i]?.failed ?? true,
    onBlobDone: (i, blob, error) => destinations[i]?.blobDone(blob, error),
    onSourceBytes: (n) => {
      sourceBytes += n;
    },
  });
  const what = `copying ${formatReference(options.from)}`;
  options.destinations.forEach((destination, index) => {
    const onProgress = options.onProgress && ((p: CopyProgress) => options.onProgress?.(p, index));
    const resend = (blobs: readonly Descriptor[]): Promise<void> =>
      fanOutBlobs(
        blobFanOuts([{ needed: blobs, lacking: blobs, manifests: [], manifestsSkipped: 0 }]),
        ends([copy]),
      );
    const copy: DestinationCopy = new DestinationCopy(destination, {
      root,
      what,
      readSource,
      concurrency,
      started,
      onProgress,
      resend,
    });
    copies.push(copy);
  });
  await Promise.all(copies.map((copy) => copy.planIt()));
  await fanOutBlobs(blobFanOuts(copies.map((copy) => copy.plan)), ends(copies));
  await Promise.all(copies.map((copy) => copy.finished));
  const results = copies.map((copy) => copy.result());
  return {
    digest: root.digest,
    mediaType: root.mediaType,
    destinations:
      options.referrers === false
        ? results
        : await Promise.all(results.map((result, i) => withReferrers(options, root, result, i))),
    sourceBytes,
    seconds: (performance.now() - started) / 1000,
  };
}

/**
 * Brings the referrers to a destination its image reached, once that destination's root is in (each
 * referrer by digest through this engine, without a referrer walk of its own). A destination whose
 * referrers fail is failed: its image is complete, and a retry sends only the referrers it lacks.
 */
async function withReferrers(
  options: CopyToManyOptions,
  root: RawManifest,
  result: DestinationResult,
  index: number,
): Promise<DestinationResult> {
  if (result.kind === "failed") return result;
  const { target, to } = options.destinations[index] as CopyDestination;
  try {
    const referrers = await copyReferrers({
      source: options.source,
      sourceRepository: options.from.repository,
      target,
      targetRepository: to.repository,
      concurrency: options.concurrency ?? copyDefaults.concurrency,
      root,
      copyManifest: async (digest: Digest) => {
        const { onProgress: _, ...rest } = options;
        const from = { ...options.from, tag: undefined, digest };
        const destination = { target, to: { registry: to.registry, repository: to.repository } };
        const copied = await copyToMany({ ...rest, from, destinations: [destination], referrers: false });
        const only = copied.destinations[0];
        if (only?.kind === "failed") throw only.error;
      },
    });
    return { ...result, referrers };
  } catch (error) {
    const what = `copying the referrers of ${formatReference(options.from)} to ${formatReference(to)}`;
    return { ...result, kind: "failed", error: registryErrorFrom(error, what) };
  }
}

/** The root manifest, once the source reference is known to name one image. */
async function readRoot(options: CopyToManyOptions): Promise<RawManifest> {
  try {
    await checkSourceTag(options.source, options.from);
    return await options.source.getManifest(options.from.repository, manifestReference(options.from));
  } catch (error) {
    const to = options.destinations.map((d) => formatReference(d.to)).join(", ");
    throw registryErrorFrom(error, `copying ${formatReference(options.from)} to ${to}`);
  }
}

/**
 * ECR's chunked upload does not follow the distribution spec: an intermediate PATCH answers 201
 * instead of 202 and its Range stops advancing after the first chunk, so later chunks are lost. ECR
 * takes one PUT per blob (its own layer parts are up to 20 MiB: Amazon ECR API Reference,
 * UploadLayerPart). Refuse chunking there before anything is sent.
 */
function checkChunkSize(options: CopyToManyOptions): void {
  if (options.chunkSize === undefined) return;
  const issues = options.destinations
    .map((destination) => destination.target.registry)
    .filter((host) => parseEcrHost(host))
    .map((host) => ({
      field: "chunkSize",
      value: options.chunkSize,
      message: `is not supported for the ECR registry ${host} (ECR's chunked upload differs from the distribution spec and loses chunks); omit it to upload each blob in one PUT`,
    }));
  if (issues.length > 0) throw new ValidationError("copy options", issues);
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
