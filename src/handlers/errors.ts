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
