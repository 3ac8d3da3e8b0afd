import type { Digest } from "../../core/digest.ts";
import { type Descriptor, parseManifest, type RawManifest } from "../manifest.ts";
import { mapLimit } from "../mapLimit.ts";
import type { RegistryClient } from "../remote/RegistryClient.ts";
import { hasReferrersApi, type ReferrersVia } from "./findReferrers.ts";
import { readReferrerGraph } from "./readReferrerGraph.ts";
import { updateReferrersTag } from "./updateReferrersTag.ts";

/** A referrer a copy brought along. */
export interface CopiedReferrer {
  readonly subject: Digest;
  readonly digest: Digest;
  readonly mediaType: string;
  readonly artifactType?: string;
  /** How the target lists it: its referrers API, or the tag-schema index Portcullis maintained. */
  readonly listed: ReferrersVia;
}

/** The two ends of a referrer copy and how to copy one manifest (with its blobs) between them. */
export interface CopyReferrersOptions {
  readonly source: RegistryClient;
  readonly sourceRepository: string;
  readonly target: RegistryClient;
  readonly targetRepository: string;
  readonly concurrency: number;
  /** The image or index just copied. */
  readonly root: RawManifest;
  /** Copies one manifest by digest, blobs and children first (the copy engine, without referrers). */
  readonly copyManifest: (digest: Digest) => Promise<void>;
}

/**
 * Brings every referrer of the root and of each manifest it lists (signatures, SBOMs, attestations, and
 * their own referrers) digest-identically, shallowest first, each after its subject. Where the target has
 * no referrers API, merges them into its `sha256-<hex>` tag-schema indexes after the manifests exist.
 * @example const referrers = await copyReferrers({ source, sourceRepository, target, targetRepository, concurrency: 4, root, copyManifest })
 */
export async function copyReferrers(options: CopyReferrersOptions): Promise<readonly CopiedReferrer[]> {
  const { source, target, concurrency } = options;
  const subjects = [options.root.digest, ...childDigests(options.root)];
  const graph = await readReferrerGraph(source, options.sourceRepository, subjects, { concurrency });
  if (graph.edges.length === 0) return [];
  const copied = new Set<Digest>();
  for (const depth of new Set(graph.edges.map((edge) => edge.depth))) {
    const level = graph.edges.filter((edge) => edge.depth === depth && !copied.has(edge.referrer.digest));
    await mapLimit(
      [...new Set(level.map((edge) => edge.referrer.digest))],
      concurrency,
      options.copyManifest,
    );
    for (const edge of level) copied.add(edge.referrer.digest);
  }
  const api = await hasReferrersApi(target, options.targetRepository, options.root.digest);
  if (!api) await writeTagSchema(options, graph.edges);
  return graph.edges.map(({ subject, referrer }) => ({
    subject,
    digest: referrer.digest,
    mediaType: referrer.mediaType,
    ...(referrer.artifactType === undefined ? {} : { artifactType: referrer.artifactType }),
    listed: api ? "api" : "tag-schema",
  }));
}

/** Merges each subject's referrers into the target's tag-schema index for it. */
async function writeTagSchema(
  options: CopyReferrersOptions,
  edges: readonly { readonly subject: Digest; readonly referrer: Descriptor }[],
): Promise<void> {
  const bySubject = new Map<Digest, Descriptor[]>();
  for (const { subject, referrer } of edges)
    bySubject.set(subject, [...(bySubject.get(subject) ?? []), referrer]);
  await mapLimit([...bySubject], options.concurrency, ([subject, referrers]) =>
    updateReferrersTag(options.target, options.targetRepository, subject, referrers),
  );
}

/** The manifests an index lists (none for an image). */
function childDigests(root: RawManifest): Digest[] {
  const parsed = parseManifest(root);
  return parsed.kind === "index" ? parsed.manifests.map((m) => m.digest) : [];
}
