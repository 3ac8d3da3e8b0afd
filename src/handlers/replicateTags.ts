import type { Digest } from "../core/index.ts";
import type { RegistryClient } from "../registry/index.ts";

/** Which promotion tags a replica gets now. */
export interface MirroredTags {
  /** Tags the primary still points at the candidate: moved in the replica too. */
  readonly move: readonly string[];
  /** Tags the primary has since moved to another digest (a newer promotion): left to that promotion. */
  readonly superseded: readonly string[];
}

/**
 * A replica mirrors the primary's tags: a promotion tag moves in the replica only while the primary still points
 * it at this candidate. So a late retry of an older promotion cannot pull `latest` in a replica back from a
 * newer release that replicated first.
 * @example await mirroredTags(primary, "team/app", digest, ["1.2.3", "latest"]) // => { move: ["1.2.3"], superseded: ["latest"] }
 */
export async function mirroredTags(
  primary: RegistryClient,
  repository: string,
  digest: Digest,
  tags: readonly string[],
): Promise<MirroredTags> {
  const move: string[] = [];
  const superseded: string[] = [];
  for (const tag of tags) {
    const current = await primary.headManifest(repository, tag);
    (current?.digest === digest ? move : superseded).push(tag);
  }
  return { move, superseded };
}
