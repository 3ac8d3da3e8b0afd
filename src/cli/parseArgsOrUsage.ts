import { type ParseArgsConfig, parseArgs } from "node:util";
import { UsageError } from "./Command.ts";

/**
 * node:util's parseArgs, with its errors (an unknown option, a missing value) as the CLI's UsageError (exit 2).
 * @example const { values } = parseArgsOrUsage({ args: [...argv], options: { json: { type: "boolean" } } });
 */
export function parseArgsOrUsage<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}
