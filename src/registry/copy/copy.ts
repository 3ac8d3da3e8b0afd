import type { Digest } from "../../core/digest.ts";
import type { Reference } from "../name/reference.ts";
import type { CopiedReferrer } from "../referrers/copyReferrers.ts";
import type { RegistryClient } from "../remote/RegistryClient.ts";
import type { RetryOptions } from "../transport/withRetries.ts";
import type { CopyProgress } from "./CopyProgress.ts";
import { copyToMany } from "./copyToMany.ts";

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

/**
 * Copies an image or index digest-identically to one target: {@link copyToMany} with one destination,
 * throwing its failure. Blobs first (concurrently, skipping what the target has), then child manifests by
 * digest, the root last, so no reader sees an index with missing children. Run again after a failure, it
 * sends only what is missing.
 * @example await copy({ source, target, from: parsed("a:5000/app:1"), to: parsed("b:5000/app:1"), onProgress })
 */
export async function copy(options: CopyOptions): Promise<CopyResult> {
  const { target, to, onProgress, ...rest } = options;
  const result = await copyToMany({
    ...rest,
    destinations: [{ target, to }],
    ...(onProgress ? { onProgress: (progress: CopyProgress) => onProgress(progress) } : {}),
  });
  const only = result.destinations[0];
  if (only === undefined) throw new Error("copyToMany returned no destination");
  if (only.kind === "failed") throw only.error;
  const { digest, mediaType } = result;
  const { target: copied, progress, seconds, referrers = [] } = only;
  return { digest, mediaType, target: copied, progress, seconds, referrers };
}
