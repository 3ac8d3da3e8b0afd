import type { ParseArgsConfig } from "node:util";
import { parseArgsOrUsage } from "../parseArgsOrUsage.ts";

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
  return parseArgsOrUsage({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: { ...OPERATOR_OPTIONS, ...options },
  });
}

/** The parsed values of the options every operator command shares (and `--local`/`--state` where it takes them). */
export function operatorFlags(values: {
  readonly json?: boolean | undefined;
  readonly config?: string | undefined;
  readonly outputs?: string | undefined;
}): { readonly json: boolean; readonly config?: string; readonly outputs?: string } {
  return {
    json: values.json ?? false,
    ...(values.config !== undefined && { config: values.config }),
    ...(values.outputs !== undefined && { outputs: values.outputs }),
  };
}

/** The parsed values of `--local` and `--state` (localOperator's LOCAL_OPTIONS). */
export function localFlags(values: {
  readonly local?: boolean | undefined;
  readonly state?: string | undefined;
}): { readonly local: boolean; readonly state?: string } {
  return { local: values.local ?? false, ...(values.state !== undefined && { state: values.state }) };
}
