/** Where a command writes: injected so tests capture output without touching the process. */
export interface CommandIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** True when stdout is a terminal (progress bars, colour). */
  readonly isTty: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

/**
 * One CLI command. Exit codes: 0 success/pass, 1 failure/fail, 2 bad input or usage.
 * Each lives in `src/cli/commands/<name>.ts` and exports `command`; `main` finds it by file name.
 */
export interface Command {
  readonly name: string;
  /** One line for `portcullis --help`. */
  readonly summary: string;
  /** Full usage text for `portcullis <name> --help`. */
  readonly usage: string;
  run(argv: readonly string[], io: CommandIo): Promise<number>;
}

/** Exit codes shared by every command. */
export const ExitCode = { Ok: 0, Failed: 1, Usage: 2 } as const;

/** Thrown by argument parsing; `main` prints the message with the command's usage and exits 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}
