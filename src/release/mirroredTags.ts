import type { Digest } from "../core/digest.ts";

/** Which promotion tags a replica gets now. */
export interface MirroredTags {
  /** Tags the primary still points at the candidate: moved in the replica too. */
  readonly move: readonly string[];
  /** Tags the primary has since moved to another digest (a newer promotion), or no longer has: left alone. */
  readonly superseded: readonly string[];
}

/**
 * A replica mirrors the primary's tags: a promotion tag moves in the replica only while the primary still points
 * it at this candidate. So a late retry of an older promotion cannot pull `latest` in a replica back from a
 * newer release that replicated first. `primary` maps each tag to the digest the primary gives it now.
 * @example mirroredTags(digest, ["1.2.3", "latest"], { "1.2.3": digest, latest: newer }) // => { move: ["1.2.3"], superseded: ["latest"] }
 */
export function mirroredTags(
  digest: Digest,
  tags: readonly string[],
  primary: Readonly<Record<string, Digest | undefined>>,
): MirroredTags {
  const move = tags.filter((tag) => primary[tag] === digest);
  const superseded = tags.filter((tag) => primary[tag] !== digest);
  return { move, superseded };
}
