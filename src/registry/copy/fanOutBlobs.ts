import type { Readable } from "node:stream";
import { registryErrorFrom } from "../errors.ts";
import type { Descriptor } from "../manifest.ts";
import { mapLimit } from "../mapLimit.ts";
import type { RegistryClient } from "../remote/RegistryClient.ts";
import { type RetryOptions, withRetries } from "../transport/withRetries.ts";
import { BlobBroadcast } from "./BlobBroadcast.ts";
import type { ProgressTracker } from "./CopyProgress.ts";

/** One blob and the destinations (indexes into {@link FanOutEnds.destinations}) that lack it. */
export interface BlobFanOut {
  readonly blob: Descriptor;
  readonly destinations: readonly number[];
}

/** One destination of a fan-out: where blobs go and whom to tell. */
export interface BlobDestination {
  readonly target: RegistryClient;
  readonly repository: string;
  readonly progress: ProgressTracker;
}

/** Everything a blob fan-out needs to know. */
export interface FanOutEnds {
  readonly source: RegistryClient;
  readonly sourceRepository: string;
  readonly destinations: readonly BlobDestination[];
  /** Blobs in flight at once (each to every destination lacking it). */
  readonly concurrency: number;
  readonly retry: RetryOptions;
  readonly chunkSize: number | undefined;
  /** Skip a destination that has already failed. */
  readonly isFailed: (destination: number) => boolean;
  /** One destination is done with one blob: it has it now, or `error` says why not. */
  readonly onBlobDone: (destination: number, blob: Descriptor, error?: unknown) => void;
  /** Bytes read from the source, as they arrive. */
  readonly onSourceBytes: (n: number) => void;
}

/**
 * Copies blobs, `concurrency` at a time, each read once from the source and streamed to every destination
 * that lacks it (see {@link BlobBroadcast}), with backpressure end to end. Destinations on the source's
 * registry mount instead. Each destination retries on its own (HEAD first, then its own read of the
 * source), with its own retry budget, so a destination that resets or answers 5xx never holds back or
 * fails the others. Never throws: every outcome goes to `onBlobDone`.
 * https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pushing-blobs
 */
export async function fanOutBlobs(blobs: readonly BlobFanOut[], ends: FanOutEnds): Promise<void> {
  await mapLimit(blobs, ends.concurrency, (entry) => copyToAll(entry, ends));
}

async function copyToAll(entry: BlobFanOut, ends: FanOutEnds): Promise<void> {
  const members = entry.destinations.filter((d) => !ends.isFailed(d));
  const readers = members.filter((d) => !mounts(ends, d));
  const broadcast = readers.length > 1 ? new BlobBroadcast(readers.length) : undefined;
  const lanes = members.map((d) =>
    lane(d, entry.blob, ends, readers.includes(d) ? broadcast : undefined).then(
      () => ends.onBlobDone(d, entry.blob),
      (error: unknown) => ends.onBlobDone(d, entry.blob, error),
    ),
  );
  const read = broadcast?.run(() => ends.source.getBlob(ends.sourceRepository, entry.blob));
  await Promise.all([...lanes, read]);
  if (broadcast) ends.onSourceBytes(broadcast.bytes);
}

/**
 * One destination's copy of one blob, retried on its own. Its first attempt reads the broadcast, joining
 * when its upload session is open (so a destination whose POST is slow or retried never holds the
 * others back: the read starts without it, and it reads on its own); every retry reads on its own.
 */
async function lane(
  index: number,
  blob: Descriptor,
  ends: FanOutEnds,
  broadcast: BlobBroadcast | undefined,
): Promise<void> {
  const destination = ends.destinations[index] as BlobDestination;
  let member = broadcast !== undefined;
  const take = (): Readable | undefined => {
    const branch = member ? broadcast?.join() : undefined;
    member = false;
    return branch;
  };
  try {
    await withRetries(
      async (attempt) => {
        try {
          if (attempt > 0 && (await destination.target.blobExists(destination.repository, blob.digest))) {
            destination.progress.add({ blobsSkipped: 1, bytesDone: blob.size });
            return;
          }
          await pushOnce(destination, blob, ends, take);
        } finally {
          if (member) broadcast?.leave();
          member = false;
        }
      },
      ends.retry,
      { onRetry: () => destination.progress.add({ retries: 1 }) },
    );
  } catch (error) {
    const where = `${destination.target.registry}/${destination.repository}`;
    throw registryErrorFrom(error, `copying blob ${blob.digest} to ${where}`);
  }
}

/** One attempt: mount, or upload from a broadcast branch (else an own read); partial bytes are taken back. */
async function pushOnce(
  destination: BlobDestination,
  blob: Descriptor,
  ends: FanOutEnds,
  take: () => Readable | undefined,
): Promise<void> {
  let sent = 0;
  let own = true;
  const onBytes = (n: number) => {
    sent += n;
    if (own) ends.onSourceBytes(n);
    destination.progress.add({ bytesSent: n, bytesDone: n });
  };
  const open = async () => {
    const branch = take();
    own = branch === undefined;
    return branch ?? ends.source.getBlob(ends.sourceRepository, blob);
  };
  try {
    const outcome = await destination.target.pushBlob(destination.repository, blob, open, {
      ...(sameRegistry(ends, destination) ? { mountFrom: ends.sourceRepository } : {}),
      ...(ends.chunkSize === undefined ? {} : { chunkSize: ends.chunkSize }),
      onBytes,
    });
    if (outcome === "mounted") destination.progress.add({ blobsMounted: 1, bytesDone: blob.size });
    else destination.progress.add({ blobsCopied: 1 });
  } catch (error) {
    destination.progress.add({ bytesSent: -sent, bytesDone: -sent });
    throw error;
  }
}

function mounts(ends: FanOutEnds, index: number): boolean {
  const destination = ends.destinations[index];
  return destination !== undefined && sameRegistry(ends, destination);
}

function sameRegistry(ends: FanOutEnds, destination: BlobDestination): boolean {
  return (
    ends.source.registry === destination.target.registry && ends.sourceRepository !== destination.repository
  );
}
