import type { FunctionInvoker } from "../../operator/FunctionInvoker.ts";
import { type DeadLetterQueue, type RedrivenMessage, redrive } from "../../operator/redrive.ts";
import { type Command, type CommandIo, ExitCode, UsageError } from "../Command.ts";
import { OPERATOR_USAGE, operatorFlags, parseOperatorArgs } from "../operator/operatorArgs.ts";
import { awsOperatorContext } from "../operator/operatorContext.ts";

const usage = `Usage: portcullis redrive [FUNCTION …] [--dry-run]

Sends dead letters back: reads each function's dead-letter queue (default: every function's), shows why each
message failed (EventBridge's ERROR_CODE/ERROR_MESSAGE, or Lambda's error), re-invokes the function
asynchronously with the original event (a message SNS could not deliver to notify is wrapped as Lambda
receives it) and deletes the message only once Lambda accepted the invocation. Every handler is idempotent,
so redriving twice changes nothing. Fix the cause first.

  FUNCTION          register, gate, reconcile, replicate, report, notify
  --dry-run         only show the messages and why they failed; invoke and delete nothing
${OPERATOR_USAGE}

Exit codes: 0 every message redriven (or shown), 1 some message was kept (unreadable or invoke refused), 2 bad input.`;

/** `portcullis redrive`. */
export const command: Command = {
  name: "redrive",
  summary: "Send each function's dead letters back, deleting them once accepted",
  usage,
  async run(argv, io) {
    const args = parseRedriveArgs(argv);
    const ctx = await awsOperatorContext(io, args);
    return runRedrive(ctx, args, io);
  },
};

/** Parses `redrive`'s arguments. */
export function parseRedriveArgs(argv: readonly string[]) {
  const { values, positionals } = parseOperatorArgs(argv, { "dry-run": { type: "boolean" } });
  for (const name of positionals)
    if (!/^[a-z]+$/.test(name))
      throw new UsageError(`FUNCTION ${JSON.stringify(name)} is not a function name`);
  return {
    functions: positionals,
    dryRun: values["dry-run"] ?? false,
    ...operatorFlags(values),
  };
}

/** The ports a redrive uses: each function's name and queue, and Lambda Invoke. */
export interface RedrivePorts {
  /** The deployed functions, capitalized as the outputs name them (`Gate`). */
  readonly functions: readonly string[];
  functionName(name: string): string;
  deadLetterQueue(name: string): DeadLetterQueue;
  readonly invoker: FunctionInvoker;
}

/** Redrives each function's queue in turn and prints every message's reason and outcome. */
export async function runRedrive(
  ctx: RedrivePorts,
  args: Pick<ReturnType<typeof parseRedriveArgs>, "functions" | "dryRun" | "json">,
  io: CommandIo,
): Promise<number> {
  const known = new Map(ctx.functions.map((name) => [name.toLowerCase(), name]));
  const unknown = args.functions.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    io.stderr(
      `portcullis redrive: FUNCTION ${JSON.stringify(unknown[0])} is not deployed (deployed: ${[...known.keys()].join(", ")})\n`,
    );
    return ExitCode.Usage;
  }
  const chosen =
    args.functions.length > 0 ? args.functions.map((n) => known.get(n) as string) : ctx.functions;
  const report: Record<string, RedrivenMessage[]> = {};
  for (const name of chosen)
    report[name.toLowerCase()] = await redrive(
      ctx.deadLetterQueue(name),
      ctx.invoker,
      ctx.functionName(name),
      {
        dryRun: args.dryRun,
      },
    );
  if (args.json) io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  else io.stdout(renderRedrive(report, args.dryRun));
  const kept = Object.values(report)
    .flat()
    .some((m) => m.outcome === "kept" && m.error !== undefined);
  return kept ? ExitCode.Failed : ExitCode.Ok;
}

function renderRedrive(report: Record<string, RedrivenMessage[]>, dryRun: boolean): string {
  const lines: string[] = [];
  for (const [name, messages] of Object.entries(report)) {
    lines.push(`${name}: ${messages.length === 0 ? "no dead letters" : `${messages.length} dead letter(s)`}`);
    for (const m of messages) {
      const what =
        m.outcome === "redriven" ? "redriven" : dryRun && !m.error ? "would redrive" : `kept (${m.error})`;
      lines.push(`  ${m.messageId} [${m.origin ?? "?"}] ${what}: ${m.reason}`);
    }
  }
  return `${lines.join("\n")}\n`;
}
