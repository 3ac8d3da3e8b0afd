import type { CandidateKey } from "../core/candidateKey.ts";

/** The store could not complete a call; `cause` carries the SDK error. */
export class StoreError extends Error {
  override readonly name = "StoreError";
  constructor(
    readonly operation: string,
    readonly pk: string,
    options?: { cause?: unknown },
  ) {
    super(`state store: ${operation} ${pk} failed${describeCause(options?.cause)}`, options);
  }
}

/** Every conditional write of a read-modify-write loop lost to a concurrent writer. */
export class StoreConflictError extends Error {
  override readonly name = "StoreConflictError";
  constructor(
    readonly operation: string,
    readonly key: Partial<CandidateKey> & { readonly tag?: string },
    readonly attempts: number,
  ) {
    super(
      `state store: ${operation} ${JSON.stringify(key)} lost to concurrent writers ${attempts} times; giving up`,
    );
  }
}

function describeCause(cause: unknown): string {
  return cause instanceof Error ? `: ${cause.message}` : "";
}
