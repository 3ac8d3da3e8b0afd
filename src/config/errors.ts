import type { ValidationIssue } from "../core/result.ts";
import { ValidationError } from "../core/ValidationError.ts";

/** The configuration file was read but refused; `issues` names every field and value at fault. */
export class InvalidConfigError extends ValidationError {
  readonly file: string;

  constructor(file: string, issues: readonly ValidationIssue[]) {
    super(`Portcullis configuration ${file}`, issues);
    this.file = file;
  }
}

/** No configuration file where one was expected. */
export class ConfigNotFoundError extends Error {
  override readonly name = "ConfigNotFoundError";
  readonly file: string;

  constructor(file: string) {
    super(`no Portcullis configuration at ${file} (create it with defineConfig, see portcullis.config.ts)`);
    this.file = file;
  }
}

/** The configuration file exists but could not be evaluated (syntax error, failing import…). */
export class ConfigLoadError extends Error {
  override readonly name = "ConfigLoadError";
  readonly file: string;

  constructor(file: string, cause: unknown) {
    super(
      `loading Portcullis configuration ${file}: ${cause instanceof Error ? cause.message : String(cause)}`,
      {
        cause,
      },
    );
    this.file = file;
  }
}
