import { type ParseArgsConfig, parseArgs } from "node:util";
import { UsageError } from "../Command.ts";

/** The options every operator command takes. */
export const OPERATOR_OPTIONS = {
  json: { type: "boolean" },
  config: { type: "string" },
  outputs: { type: "string" },
} as const satisfies ParseArgsConfig["options"];

/** The usage lines of {@link OPERATOR_OPTIONS}. */
export const OPERATOR_USAGE = `  --json            machine-readable output (one JSON document on stdout)
  --config FILE     the configuration (default portcullis.config.ts)
  --outputs FILE    the deployed stacks' outputs (default .sst/portcullis-outputs.json, written by npm run deploy)`;

/** parseArgs with the operator options added; a parse error is a UsageError (exit 2). */
export function parseOperatorArgs<O extends NonNullable<ParseArgsConfig["options"]>>(
  argv: readonly string[],
  options: O,
) {
  try {
    return parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: { ...OPERATOR_OPTIONS, ...options },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
