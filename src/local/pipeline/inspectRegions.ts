import type { Digest } from "../../core/index.ts";
import type { RegistryDirectory } from "../../handlers/ports.ts";

/** What one region's registry holds for the repository. */
export interface RegionImage {
  readonly region: string;
  readonly registry: string;
  /** Every tag of the repository and the digest it points at (empty when the repository does not exist). */
  readonly tags: Readonly<Record<string, Digest>>;
  /** Why the registry could not be read (e.g. it is down); `tags` is then empty. */
  readonly error?: string;
}

/**
 * Reads, in every region, the repository's tags and where each points (HEAD by tag, the digest the
 * registry itself reports): the summary's evidence of what was promoted and replicated. Reads only.
 * @example await inspectRegions(directory, ["us-east-1", "eu-west-1"], "portcullis/example-app")
 */
export async function inspectRegions(
  directory: RegistryDirectory,
  regions: readonly string[],
  repository: string,
): Promise<RegionImage[]> {
  return Promise.all(
    regions.map(async (region) => {
      const client = directory.clientFor(region);
      const tags: Record<string, Digest> = {};
      try {
        for (const tag of (await client.listTags(repository)).sort()) {
          const descriptor = await client.headManifest(repository, tag);
          if (descriptor) tags[tag] = descriptor.digest;
        }
      } catch (error) {
        return { region, registry: client.registry, tags: {}, error: (error as Error).message };
      }
      return { region, registry: client.registry, tags };
    }),
  );
}
