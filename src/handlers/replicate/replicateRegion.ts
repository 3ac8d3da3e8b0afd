import type { Digest } from "../../core/index.ts";
import {
  copy,
  promote,
  type Reference,
  type RegistryClient,
  type RetryOptions,
  verifyReferrers,
} from "../../registry/index.ts";
import { mirroredTags } from "../../release/index.ts";
import type { RegistryDirectory, RepositoryProvisioner } from "../ports.ts";

/** One region's copy of a promoted image. */
export interface RegionJob {
  readonly sourceRegion: string;
  readonly region: string;
  readonly repository: string;
  readonly digest: Digest;
  /** The candidate's promotion tags. */
  readonly tags: readonly string[];
}

/** What replicating to one region did. */
export type RegionResult =
  | {
      readonly kind: "replicated";
      readonly region: string;
      readonly repository: "created" | "exists";
      readonly tags: readonly string[];
      readonly superseded: readonly string[];
      readonly bytesSent: number;
      readonly milliseconds: number;
    }
  | {
      readonly kind: "failed";
      readonly region: string;
      readonly error: string;
      readonly milliseconds: number;
    };

/** The I/O a region job needs. */
export interface RegionDeps {
  readonly registry: RegistryDirectory;
  readonly provisioner: RepositoryProvisioner;
  /** Blobs in flight per copy. */
  readonly concurrency: number;
  readonly retry?: RetryOptions;
}

/**
 * Replicates a promoted image to one region: makes sure the repository exists with the primary's settings,
 * copies the index digest-identically (blobs first, children, then the index by digest; what the replica has is
 * skipped, so a retry sends only what is missing) with its referrers (signatures, SBOMs, Portcullis's own
 * verification summary), reads those back from the replica, then points the promotion tags the primary still gives it
 * at it. Never throws: a failure is a result, so one region cannot stop the others.
 * @example const result = await replicateRegion({ sourceRegion, region: "eu-west-1", repository, digest, tags }, deps);
 */
export async function replicateRegion(job: RegionJob, deps: RegionDeps): Promise<RegionResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const repository = await deps.provisioner.ensureRepository(job.region, job.repository);
    const source = deps.registry.clientFor(job.sourceRegion);
    const target = deps.registry.clientFor(job.region);
    const from: Reference = { registry: source.registry, repository: job.repository, digest: job.digest };
    const to: Reference = { registry: target.registry, repository: job.repository, digest: job.digest };
    const copied = await copy({ source, target, from, to, concurrency: deps.concurrency, retry: deps.retry });
    await verifyReferrers(target, job.repository, copied.referrers);
    const primary = await tagDigests(source, job.repository, job.tags);
    const tags = mirroredTags(job.digest, job.tags, primary);
    if (tags.move.length > 0) await promote({ client: target, image: to, tags: tags.move });
    return {
      kind: "replicated",
      region: job.region,
      repository,
      tags: tags.move,
      superseded: tags.superseded,
      bytesSent: copied.progress.bytesSent,
      milliseconds: elapsed(),
    };
  } catch (error) {
    return { kind: "failed", region: job.region, error: describe(error), milliseconds: elapsed() };
  }
}

/** Where the primary points each tag now (undefined for a tag it does not have). */
async function tagDigests(
  client: RegistryClient,
  repository: string,
  tags: readonly string[],
): Promise<Record<string, Digest | undefined>> {
  const digests: Record<string, Digest | undefined> = {};
  for (const tag of tags) digests[tag] = (await client.headManifest(repository, tag))?.digest;
  return digests;
}

/** The error's message (registry errors carry what was attempted and redacted URLs; never credentials). */
function describe(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
