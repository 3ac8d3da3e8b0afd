import type { CandidateKey } from "../../core/index.ts";

function describeKey(key: CandidateKey): string {
  return `${key.repository}@${key.digest} (${key.region})`;
}

/** An "Image Promoted" event names a candidate the store does not have (expired, or another table). */
export class CandidateNotFoundError extends Error {
  override readonly name = "CandidateNotFoundError";
  constructor(readonly key: CandidateKey) {
    super(`candidate ${describeKey(key)} is not in the state store`);
  }
}

/** The stored candidate is not promoted, so there is nothing to replicate (the event and the state disagree). */
export class CandidateNotPromotedError extends Error {
  override readonly name = "CandidateNotPromotedError";
  constructor(
    readonly key: CandidateKey,
    readonly phase: string,
  ) {
    super(`candidate ${describeKey(key)} is ${phase}, not promoted: nothing to replicate`);
  }
}

/** Recording a region's result kept losing the conditional write to other invocations. */
export class ReplicationRecordConflictError extends Error {
  override readonly name = "ReplicationRecordConflictError";
  constructor(
    readonly key: CandidateKey,
    readonly region: string,
    readonly attempts: number,
  ) {
    super(
      `recording replication of ${describeKey(key)} to ${region}: ${attempts} conflicting writes in a row`,
    );
  }
}

/**
 * Some regions failed and have attempts left: their failures are recorded, published and notified, and the
 * invocation fails so that Lambda's asynchronous retry (then the dead-letter queue) tries them again. A retry
 * copies only to the regions still missing.
 */
export class ReplicationIncompleteError extends Error {
  override readonly name = "ReplicationIncompleteError";
  constructor(
    readonly key: CandidateKey,
    readonly failed: readonly { readonly region: string; readonly error: string }[],
  ) {
    const list = failed.map((f) => `${f.region}: ${f.error}`).join("; ");
    super(`replication of ${describeKey(key)} incomplete, ${failed.length} region(s) failed: ${list}`);
  }
}
