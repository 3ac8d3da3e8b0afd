import type { CommandIo } from "../../src/cli/Command.ts";

/** A CommandIo that records what a command prints. */
export function captureIo(
  overrides: Partial<CommandIo> = {},
): CommandIo & { out: () => string; err: () => string } {
  let out = "";
  let err = "";
  return {
    stdout: (text) => {
      out += text;
    },
    stderr: (text) => {
      err += text;
    },
    isTty: false,
    env: {},
    cwd: process.cwd(),
    ...overrides,
    out: () => out,
    err: () => err,
  };
}
