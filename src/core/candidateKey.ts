import type { Digest } from "./digest.ts";

/**
 * Identifies a release candidate: (region, repository, index digest), or the image digest for a
 * single-platform image. Platform images use the same shape with their own digest.
 */
export interface CandidateKey {
  readonly region: string;
  readonly repository: string;
  readonly digest: Digest;
}
