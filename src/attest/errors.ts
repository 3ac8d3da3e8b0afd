/** A signing or verification key that cannot be used: which one, and why. */
export class AttestationKeyError extends Error {
  override readonly name = "AttestationKeyError";

  constructor(
    readonly source: string,
    readonly why: string,
    cause?: unknown,
  ) {
    super(`${source} ${why}`, cause === undefined ? undefined : { cause });
  }
}
