import type { CandidateKey } from "../../core/index.ts";

/**
 * Another invocation holds the claim to create this candidate's check run and has not finished within the
 * wait: this invocation fails so Lambda retries it, by which time the run exists and is updated by its id.
 */
export class CheckRunBusyError extends Error {
  override readonly name = "CheckRunBusyError";
  constructor(
    readonly candidate: CandidateKey,
    readonly leaseUntil: string,
  ) {
    super(
      `the check run of ${candidate.repository}@${candidate.digest} is being created by another invocation (claim held until ${leaseUntil}); retry later`,
    );
  }
}
