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

function describeCause(cause: unknown): string {
  return cause instanceof Error ? `: ${cause.message}` : "";
}
