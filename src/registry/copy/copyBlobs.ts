import { registryErrorFrom } from "../errors.ts";
import type { Descriptor } from "../manifest.ts";
import { mapLimit } from "../mapLimit.ts";
import { type RetryOptions, withRetries } from "../transport/withRetries.ts";
import type { CopyEnds } from "./CopyEnds.ts";
import type { ProgressTracker } from "./CopyProgress.ts";

/** Everything a blob copy needs to know. */
export interface BlobCopyPlan extends CopyEnds {
  readonly retry: RetryOptions;
  readonly chunkSize: number | undefined;
  readonly progress: ProgressTracker;
  /** Add the blobs to the progress totals (false when checking them again after a race). */
  readonly countTotals?: boolean;
}

/**
 * Copies blobs concurrently, skipping those the target has and mounting across repositories of the
 * same registry. Each blob is retried as a whole (a streamed body cannot be replayed).
 * https://github.com/opencontainers/distribution-spec/blob/main/spec.md#mounting-a-blob-from-another-repository
 */
export async function copyBlobs(blobs: readonly Descriptor[], plan: BlobCopyPlan): Promise<void> {
  if (plan.countTotals !== false)
    plan.progress.add({
      blobsTotal: blobs.length,
      bytesTotal: blobs.reduce((sum, blob) => sum + blob.size, 0),
    });
  await mapLimit(blobs, plan.concurrency, async (blob) => {
    try {
      await withRetries(() => copyBlob(blob, plan), plan.retry, {
        onRetry: () => plan.progress.add({ retries: 1 }),
      });
    } catch (error) {
      throw registryErrorFrom(
        error,
        `copying blob ${blob.digest} to ${plan.target.registry}/${plan.targetRepository}`,
      );
    }
  });
}

/** One attempt: HEAD, then mount or stream source → target; partial bytes are taken back on failure. */
async function copyBlob(blob: Descriptor, plan: BlobCopyPlan): Promise<void> {
  if (await plan.target.blobExists(plan.targetRepository, blob.digest)) {
    plan.progress.add({ blobsSkipped: 1, bytesDone: blob.size });
    return;
  }
  let sent = 0;
  const onBytes = (n: number) => {
    sent += n;
    plan.progress.add({ bytesSent: n, bytesDone: n });
  };
  try {
    const outcome = await plan.target.pushBlob(
      plan.targetRepository,
      blob,
      () => plan.source.getBlob(plan.sourceRepository, blob),
      {
        ...(sameRegistry(plan) ? { mountFrom: plan.sourceRepository } : {}),
        ...(plan.chunkSize === undefined ? {} : { chunkSize: plan.chunkSize }),
        onBytes,
      },
    );
    if (outcome === "mounted") plan.progress.add({ blobsMounted: 1, bytesDone: blob.size });
    else plan.progress.add({ blobsCopied: 1 });
  } catch (error) {
    plan.progress.add({ bytesSent: -sent, bytesDone: -sent });
    throw error;
  }
}

function sameRegistry(plan: BlobCopyPlan): boolean {
  return plan.source.registry === plan.target.registry && plan.sourceRepository !== plan.targetRepository;
}
