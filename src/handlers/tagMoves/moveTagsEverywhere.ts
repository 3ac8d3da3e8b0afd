import type { Digest } from "../../core/digest.ts";
import { promote, type TagMove } from "../../registry/index.ts";
import type { RegistryDirectory } from "../ports.ts";

/** Which tags go where, in which regions (the primary first). */
export interface TagMoveJob {
  readonly regions: readonly string[];
  readonly repository: string;
  readonly digest: Digest;
  readonly tags: readonly string[];
}

/** A region that cannot take the move: the digest is missing there, or the registry did not answer. */
export interface RegionProblem {
  readonly region: string;
  readonly problem: "missing" | "unreachable";
  readonly error: string;
}

/** What moving the tags did in one region, read back afterwards. */
export type RegionTagResult =
  | {
      readonly kind: "moved";
      readonly region: string;
      readonly moves: readonly TagMove[];
      /** Where each tag points after the move, read back from the registry. */
      readonly readBack: Readonly<Record<string, Digest>>;
    }
  | { readonly kind: "failed"; readonly region: string; readonly error: string };

/**
 * Checks, before anything moves, that every region's registry answers and has the digest: a rollback or
 * demotion that cannot reach a region moves nothing anywhere. Returns one problem per region that cannot.
 * @example await preflightRegions(registry, job) // => [{ region: "eu-west-1", problem: "missing", … }]
 */
export async function preflightRegions(
  registry: RegistryDirectory,
  job: TagMoveJob,
): Promise<RegionProblem[]> {
  const problems: RegionProblem[] = [];
  for (const region of job.regions) {
    try {
      const found = await registry.clientFor(region).headManifest(job.repository, job.digest);
      if (found === undefined)
        problems.push({
          region,
          problem: "missing",
          error: `${job.repository}@${job.digest} is not in ${region}'s registry`,
        });
    } catch (error) {
      problems.push({ region, problem: "unreachable", error: `${region}: ${describe(error)}` });
    }
  }
  return problems;
}

/**
 * Points the tags at the digest in every region, the primary first, then reads each tag back from the region's
 * registry to confirm. Idempotent (a tag already there is not written). Never throws for one region: a failed
 * region is a result, the others still move, and running the same move again finishes it. Shared by rollback
 * and by demotion, which both move promotion tags in every region.
 * @example await moveTagsEverywhere(registry, { regions: ["us-east-1", "eu-west-1"], repository, digest, tags: ["latest"] })
 */
export async function moveTagsEverywhere(
  registry: RegistryDirectory,
  job: TagMoveJob,
): Promise<RegionTagResult[]> {
  const results: RegionTagResult[] = [];
  for (const region of job.regions) {
    try {
      const client = registry.clientFor(region);
      const image = { registry: client.registry, repository: job.repository, digest: job.digest };
      const { tags: moves } = await promote({ client, image, tags: job.tags });
      const readBack: Record<string, Digest> = {};
      const wrong: string[] = [];
      for (const tag of job.tags) {
        const now = (await client.headManifest(job.repository, tag))?.digest;
        if (now !== undefined) readBack[tag] = now;
        if (now !== job.digest) wrong.push(`${tag} reads back as ${now ?? "absent"}`);
      }
      if (wrong.length > 0) results.push({ kind: "failed", region, error: wrong.join("; ") });
      else results.push({ kind: "moved", region, moves, readBack });
    } catch (error) {
      results.push({ kind: "failed", region, error: describe(error) });
    }
  }
  return results;
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
