import type { CandidateKey } from "../core/candidateKey.ts";

export type { CandidateKey };

/** Identifies one platform image (a child of an index, or the image itself). */
export type ImageKey = CandidateKey;

/** Partition key of a candidate's items. `#` never occurs in regions, repositories or digests. */
export function candidatePk(key: CandidateKey): string {
  return `C#${key.region}#${key.repository}#${key.digest}`;
}

/** Partition key of a platform image's items (its scan and the candidates it belongs to). */
export function imagePk(key: ImageKey): string {
  return `I#${key.region}#${key.repository}#${key.digest}`;
}

export const STATE_SK = "STATE";
export const SCAN_SK = "SCAN";
export const CANDIDATE_LINK_PREFIX = "C#";
export const EFFECT_PREFIX = "EFFECT#";
