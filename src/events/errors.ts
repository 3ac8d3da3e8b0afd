/** An event pattern uses a form the matcher does not implement, or is malformed (a bug in the pattern). */
export class PatternError extends Error {
  override readonly name = "PatternError";
  /** Dotted path of the offending pattern field. */
  readonly field: string;

  constructor(field: string, message: string) {
    super(`event pattern ${field || "(root)"}: ${message}`);
    this.field = field;
  }
}
