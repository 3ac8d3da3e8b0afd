import type { Digest } from "../../core/digest.ts";
import { MANIFEST_MEDIA_TYPES } from "../../core/mediaTypes.ts";
import { mapLimit } from "../mapLimit.ts";
import type { RegistryClient } from "../remote/RegistryClient.ts";
import { findReferrers } from "./findReferrers.ts";
import type { ReferrerEdge, ReferrerGraph } from "./ReferrerGraph.ts";

/** Options for {@link readReferrerGraph}. */
export interface ReadReferrerGraphOptions {
  readonly concurrency: number;
  /** How deep referrers of referrers are followed (a guard; real graphs are 2–3 deep). */
  readonly maxDepth: number;
}

/** Defaults: 4 queries in flight, 8 levels. */
export const readReferrerGraphDefaults: ReadReferrerGraphOptions = { concurrency: 4, maxDepth: 8 };

/**
 * Discovers the referrers of `subjects` and, level by level, the referrers of those referrers, each
 * digest once (a referrer listed under two subjects is one edge per subject but is followed once).
 * @example const graph = await readReferrerGraph(source, "team/app", [index.digest, ...platformDigests])
 */
export async function readReferrerGraph(
  client: RegistryClient,
  repository: string,
  subjects: readonly Digest[],
  options: Partial<ReadReferrerGraphOptions> = {},
): Promise<ReferrerGraph> {
  const { concurrency, maxDepth } = { ...readReferrerGraphDefaults, ...options };
  const edges: ReferrerEdge[] = [];
  const skipped: ReferrerEdge[] = [];
  const seen = new Set<Digest>(subjects);
  let level: readonly Digest[] = [...seen];
  for (let depth = 1; level.length > 0 && depth <= maxDepth; depth++) {
    const found = await mapLimit(level, concurrency, async (subject) => {
      const { manifests } = await findReferrers(client, repository, subject);
      return manifests.map((referrer) => ({ subject, referrer, depth }));
    });
    const next: Digest[] = [];
    for (const edge of found.flat()) {
      if (!MANIFEST_MEDIA_TYPES.includes(edge.referrer.mediaType)) {
        skipped.push(edge);
        continue;
      }
      edges.push(edge);
      if (!seen.has(edge.referrer.digest)) next.push(edge.referrer.digest);
      seen.add(edge.referrer.digest);
    }
    level = next;
  }
  return { edges, skipped };
}
