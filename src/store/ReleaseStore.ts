import type { CandidateKey, ImageKey, RepositoryKey } from "./keys.ts";
import type { TagHistory, TagHistoryEntry } from "./TagHistory.ts";

/** The minimum a stored state must carry: its key and a version bumped by exactly one per transition. */
export interface VersionedState {
  readonly key: CandidateKey;
  readonly version: number;
}

/** How a side effect's claim stands. */
export type EffectClaim =
  | { readonly kind: "claimed"; readonly attempt: number }
  | { readonly kind: "done"; readonly result?: unknown }
  | { readonly kind: "busy"; readonly leaseUntil: string };

/** A platform image's stored scan, with the revision its next replacement must name. */
export interface StoredScan<Scan> {
  readonly scan: Scan;
  /** 0 for a scan written by {@link ReleaseStore.putImageScan} (no revision kept). */
  readonly revision: number;
}

/**
 * Persistence for release candidates. Every write is a single-item conditional write, so concurrent or
 * repeated invocations can never apply a transition twice (dynalite has no TransactWriteItems, and none is
 * needed: a candidate's whole state lives in one item).
 */
export interface ReleaseStore<S extends VersionedState, Scan = unknown> {
  /** The candidate's state, read strongly consistent, or undefined. */
  getCandidate(key: CandidateKey): Promise<S | undefined>;
  /** Stores a new candidate; "exists" when another invocation created it first. */
  createCandidate(state: S): Promise<"created" | "exists">;
  /** Replaces the state if the stored version is still `state.version - 1`; "conflict" otherwise. */
  saveCandidate(state: S): Promise<"saved" | "conflict">;
  /**
   * Takes a candidate off the reconciler's index (its side effects are confirmed) if it is still at
   * `version`; "changed" when a newer transition was written meanwhile (it is indexed afresh).
   */
  settleCandidate(key: CandidateKey, version: number): Promise<"settled" | "changed">;
  /** Records that a platform image belongs to a candidate (idempotent). */
  linkImage(image: ImageKey, candidate: CandidateKey): Promise<void>;
  /** Every candidate a platform image belongs to (one image can sit in several indexes). */
  candidatesOf(image: ImageKey): Promise<CandidateKey[]>;
  /** Keeps a platform image's scan result, unless a newer one (by `at`) is already stored. */
  putImageScan(image: ImageKey, scan: Scan, at: string): Promise<"stored" | "older">;
  /** A platform image's stored scan and its revision, read strongly consistent. */
  getImageScan(image: ImageKey): Promise<StoredScan<Scan> | undefined>;
  /** Replaces a platform image's scan if its revision is still `revision` (0: none stored yet). */
  replaceImageScan(image: ImageKey, scan: Scan, at: string, revision: number): Promise<"stored" | "conflict">;
  /** The stored scans of these platform images, by digest; images without one are absent. */
  imageScans(images: readonly ImageKey[]): Promise<Map<string, Scan>>;
  /** Candidates in a phase whose `due` time is at or before `dueBy` (ISO 8601), for the reconciler. */
  candidatesDue(phase: string, dueBy: string): Promise<CandidateKey[]>;
  /** A promotion tag's history of digests (empty, revision 0, when never promoted). */
  getTagHistory(repository: RepositoryKey, tag: string): Promise<TagHistory>;
  /** Replaces a tag's history if its revision is still `revision`. */
  saveTagHistory(
    repository: RepositoryKey,
    tag: string,
    entries: readonly TagHistoryEntry[],
    revision: number,
  ): Promise<"saved" | "conflict">;
  /** Claims a side effect (a Slack message, a check-run completion) so only one invocation performs it. */
  claimEffect(
    key: CandidateKey,
    effect: string,
    options: { now: Date; leaseSeconds: number },
  ): Promise<EffectClaim>;
  /** Marks a claimed side effect as done, with an optional result (e.g. the check run id). */
  completeEffect(key: CandidateKey, effect: string, result?: unknown): Promise<void>;
  /** Gives up a claim after a failure so a retry can claim it again at once. */
  releaseEffect(key: CandidateKey, effect: string): Promise<void>;
}
