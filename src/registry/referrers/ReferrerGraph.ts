import type { Digest } from "../../core/digest.ts";
import type { Descriptor } from "../manifest.ts";

/** One edge of the referrer graph: `referrer`'s manifest names `subject` as its subject. */
export interface ReferrerEdge {
  readonly subject: Digest;
  readonly referrer: Descriptor;
  /** 1 for a referrer of the image itself, 2 for a referrer of that referrer, … */
  readonly depth: number;
}

/** Everything that refers, directly or through other referrers, to an image's manifests. */
export interface ReferrerGraph {
  /** Edges ordered by depth: every referrer comes after the edge that reached its subject. */
  readonly edges: readonly ReferrerEdge[];
  /** Referrers listed with a media type that is not a manifest (not copied). */
  readonly skipped: readonly ReferrerEdge[];
}
