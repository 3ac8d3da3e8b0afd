/** The outcome of a parse or decision that can fail: data, never a throw (valibot's `safeParse` style). */
export type Result<T, E = ValidationIssue[]> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: E };

/** One reason an input was refused: the dotted path of the field, the offending value and why. */
export interface ValidationIssue {
  /** Dotted path of the field, e.g. `detail.image-digest` or `allowlist[2].expires`. */
  readonly field: string;
  /** The value that was refused, as received (strings are shown quoted by {@link formatIssue}). */
  readonly value: unknown;
  /** Why it was refused, e.g. `must be sha256: followed by 64 lowercase hex characters`. */
  readonly message: string;
}

/** Wraps a value as a successful {@link Result}. */
export function ok<T>(value: T): { readonly ok: true; readonly value: T } {
  return { ok: true, value };
}

/** Wraps an error as a failed {@link Result}. */
export function fail<E>(error: E): { readonly ok: false; readonly error: E } {
  return { ok: false, error };
}
