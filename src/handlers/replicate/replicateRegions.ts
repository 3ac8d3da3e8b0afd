import type { Digest } from "../../core/index.ts";
import {
  type CopyToManyResult,
  copyToMany,
  type DestinationResult,
  promote,
  type Reference,
  type RegistryClient,
  type RetryOptions,
  verifyReferrers,
} from "../../registry/index.ts";
import { mirroredTags } from "../../release/index.ts";
import type { RegistryDirectory, RepositoryProvisioner } from "../ports.ts";

/** A promoted image to copy to some regions. */
export interface ReplicationJob {
  readonly sourceRegion: string;
  /** The regions owed a copy (pending, or failed with attempts left). */
  readonly regions: readonly string[];
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

/** What one fan-out to the regions did: each region's result, and the blob bytes read from the source once. */
export interface ReplicationResult {
  readonly regions: readonly RegionResult[];
  readonly sourceBytes: number;
}

/** The I/O a replication needs. */
export interface ReplicationDeps {
  readonly registry: RegistryDirectory;
  readonly provisioner: RepositoryProvisioner;
  /** Blobs in flight in the fan-out (each to every region lacking it). */
  readonly concurrency: number;
  readonly retry?: RetryOptions;
}

/**
 * Replicates a promoted image to every region it is owed to in one fan-out: makes sure each repository
 * exists with the primary's settings, copies the index digest-identically to all of them at once (each
 * blob read from the primary once and streamed to every region lacking it; a region's manifests pushed
 * once its blobs are in; what a replica has is skipped, so a retry sends only what it lacks) with its
 * referrers (signatures, SBOMs, Portcullis's signed decision), each read back in the region, then points
 * the promotion tags the primary still gives it at it in each region. Never throws: each region's failure
 * is its own result, so one region cannot stop the others.
 * @example const { regions } = await replicateRegions({ sourceRegion, regions: ["eu-west-1", "ap-southeast-2"], repository, digest, tags }, deps);
 */
export async function replicateRegions(
  job: ReplicationJob,
  deps: ReplicationDeps,
): Promise<ReplicationResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const failed = (region: string, error: unknown): RegionResult => ({
    kind: "failed",
    region,
    error: describe(error),
    milliseconds: elapsed(),
  });
  const ensured = await Promise.all(
    job.regions.map((region) =>
      deps.provisioner.ensureRepository(region, job.repository).then(
        (repository) => ({ region, repository }),
        (error: unknown) => failed(region, error),
      ),
    ),
  );
  const ready = ensured.filter(
    (e): e is { region: string; repository: "created" | "exists" } => !("kind" in e),
  );
  const copied =
    ready.length === 0
      ? undefined
      : await copyTo(
          job,
          ready.map((r) => r.region),
          deps,
        ).catch((error: unknown) => error);
  const results = await Promise.all(
    ensured.map(async (entry) => {
      if ("kind" in entry) return entry;
      if (!isResult(copied)) return failed(entry.region, copied);
      const destination = copied.destinations[ready.indexOf(entry)] as DestinationResult;
      if (destination.kind === "failed") return failed(entry.region, destination.error);
      return tagRegion(job, entry, destination, deps).then(
        (tagged) => ({ ...tagged, milliseconds: elapsed() }),
        (error: unknown) => failed(entry.region, error),
      );
    }),
  );
  return { regions: results, sourceBytes: isResult(copied) ? copied.sourceBytes : 0 };
}

/** The fan-out copy from the source region to `regions`, by digest. */
function copyTo(
  job: ReplicationJob,
  regions: readonly string[],
  deps: ReplicationDeps,
): Promise<CopyToManyResult> {
  const source = deps.registry.clientFor(job.sourceRegion);
  const from: Reference = { registry: source.registry, repository: job.repository, digest: job.digest };
  const destinations = regions.map((region) => {
    const target = deps.registry.clientFor(region);
    return { target, to: { registry: target.registry, repository: job.repository, digest: job.digest } };
  });
  return copyToMany({ source, from, destinations, concurrency: deps.concurrency, retry: deps.retry });
}

/** Moves, in one region, the promotion tags the primary still points at this image. */
async function tagRegion(
  job: ReplicationJob,
  entry: { readonly region: string; readonly repository: "created" | "exists" },
  destination: DestinationResult,
  deps: ReplicationDeps,
) {
  const source = deps.registry.clientFor(job.sourceRegion);
  const target = deps.registry.clientFor(entry.region);
  const primary = await tagDigests(source, job.repository, job.tags);
  const tags = mirroredTags(job.digest, job.tags, primary);
  const image: Reference = { registry: target.registry, repository: job.repository, digest: job.digest };
  if (destination.kind === "copied")
    await verifyReferrers(target, job.repository, destination.referrers ?? []);
  if (tags.move.length > 0) await promote({ client: target, image, tags: tags.move });
  return {
    kind: "replicated" as const,
    region: entry.region,
    repository: entry.repository,
    tags: tags.move,
    superseded: tags.superseded,
    bytesSent: destination.progress.bytesSent,
  };
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

function isResult(value: unknown): value is CopyToManyResult {
  return typeof value === "object" && value !== null && "destinations" in value;
}

/** The error's message (registry errors carry what was attempted and redacted URLs; never credentials). */
function describe(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
