import type { CandidateKey, Digest, ValidationIssue } from "../core/index.ts";
import { ValidationError } from "../core/index.ts";

/** A platform image's findings could not be fetched: the candidate stays undecided and is retried. */
export class FindingsUnavailableError extends Error {
  override readonly name = "FindingsUnavailableError";
  constructor(
    readonly candidate: CandidateKey,
    readonly digest: Digest,
    readonly platform: string,
    options: { cause: unknown },
  ) {
    const reason = options.cause instanceof Error ? options.cause.message : String(options.cause);
    super(
      `fetching the findings of ${candidate.repository}@${digest} (${platform}) for candidate ${candidate.digest}: ${reason}`,
      options,
    );
  }
}

/**
 * A pushed build cannot be gated as it is (a nested index, no platform image, invalid metadata): nothing is
 * registered, and the event goes to the dead-letter queue so someone looks at the image.
 */
export class UngateableImageError extends ValidationError {
  constructor(
    readonly image: CandidateKey,
    issues: readonly ValidationIssue[],
  ) {
    super(`image ${image.repository}@${image.digest} in ${image.region}`, issues);
  }
}

/** A state transition the handler relies on was refused by the state machine (a bug, or corrupt state). */
export class TransitionRejectedError extends ValidationError {
  constructor(
    readonly candidate: CandidateKey,
    readonly transition: string,
    issues: readonly ValidationIssue[],
  ) {
    super(`${transition} of candidate ${candidate.repository}@${candidate.digest}`, issues);
  }
}

/**
 * Promotion tags could not be moved (or read back) in some regions: the regions that took the move keep it,
 * and the error makes the invocation fail so it is retried (Lambda's retries, then the dead-letter queue and
 * `portcullis redrive`); a rerun moves only what is still wrong.
 */
export class TagMoveIncompleteError extends Error {
  override readonly name = "TagMoveIncompleteError";
  constructor(
    /** What was being done, e.g. "demoting team/app@sha256:…". */
    readonly attempted: string,
    readonly failures: readonly { readonly region: string; readonly error: string }[],
  ) {
    super(`${attempted}: not confirmed in ${failures.map((f) => `${f.region} (${f.error})`).join(", ")}`);
  }
}
