import type { CandidateKey } from "../core/candidateKey.ts";

export type { CandidateKey };

/** Identifies one platform image (a child of an index, or the image itself). */
export type ImageKey = CandidateKey;

/** Identifies a repository in a region: where a tag lives. */
export interface RepositoryKey {
  readonly region: string;
  readonly repository: string;
}

/** Partition key of a candidate's items. `#` never occurs in regions, repositories or digests. */
export function candidatePk(key: CandidateKey): string {
  return `C#${key.region}#${key.repository}#${key.digest}`;
}

/** Partition key of a platform image's items (its scan and the candidates it belongs to). */
export function imagePk(key: ImageKey): string {
  return `I#${key.region}#${key.repository}#${key.digest}`;
}

/** Partition key of a repository's tag histories (one item per promotion tag). */
export function repositoryPk(key: RepositoryKey): string {
  return `R#${key.region}#${key.repository}`;
}

export const STATE_SK = "STATE";
export const SCAN_SK = "SCAN";
export const CANDIDATE_LINK_PREFIX = "C#";
export const EFFECT_PREFIX = "EFFECT#";
export const TAG_PREFIX = "TAG#";
