import type { FunctionInvoker } from "../../operator/FunctionInvoker.ts";
import { scheduledTick } from "../../operator/scheduledTick.ts";
import { type Command, type CommandIo, ExitCode, UsageError } from "../Command.ts";
import { OPERATOR_USAGE, operatorFlags, parseOperatorArgs } from "../operator/operatorArgs.ts";
import { awsOperatorContext } from "../operator/operatorContext.ts";

const usage = `Usage: portcullis reconcile --now [--async]

One reconciler sweep now instead of at the next 5-minute tick: the reconcile function is invoked with the
scheduled event its schedule sends (no hand-written JSON). Waits for the sweep and prints what it did
(candidates brought forward, replications asked again, failures); --async only queues it.

  --now             required: sweep once, now
  --async           queue the invocation (Lambda's Event type) and return at once
${OPERATOR_USAGE}

Exit codes: 0 swept (or queued), 1 the function failed or a candidate could not be brought forward, 2 bad input.`;

/** `portcullis reconcile --now`. */
export const command: Command = {
  name: "reconcile",
  summary: "Run one reconciler sweep now",
  usage,
  async run(argv, io) {
    const args = parseReconcileArgs(argv);
    const ctx = await awsOperatorContext(io, args);
    return runReconcileNow(
      { invoker: ctx.invoker, account: ctx.settings.account, region: ctx.regions[0] as string },
      ctx.functionName("Reconcile"),
      args,
      io,
    );
  },
};

/** Parses `reconcile`'s arguments. */
export function parseReconcileArgs(argv: readonly string[]) {
  const { values, positionals } = parseOperatorArgs(argv, {
    now: { type: "boolean" },
    async: { type: "boolean" },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
  if (!values.now) throw new UsageError("--now is required (the schedule sweeps every 5 minutes otherwise)");
  return {
    async: values.async ?? false,
    ...operatorFlags(values),
  };
}

/** Invokes the reconcile function with one scheduled tick and prints the sweep's result. */
export async function runReconcileNow(
  ctx: { readonly invoker: FunctionInvoker; readonly account: string; readonly region: string },
  functionName: string,
  args: { readonly async: boolean; readonly json: boolean },
  io: CommandIo,
): Promise<number> {
  const event = scheduledTick({ account: ctx.account, region: ctx.region, now: new Date() });
  if (args.async) {
    await ctx.invoker.invokeAsync(functionName, event);
    io.stdout(
      args.json
        ? `${JSON.stringify({ queued: event.id })}\n`
        : `Sweep ${event.id} queued on ${functionName}\n`,
    );
    return ExitCode.Ok;
  }
  const result = (await ctx.invoker.invoke(functionName, event)) as SweepResult | undefined;
  const failures = result?.failures ?? [];
  if (args.json) io.stdout(`${JSON.stringify(result ?? null, null, 2)}\n`);
  else {
    const lines = [
      `Sweep ${event.id} on ${functionName}: ${result?.candidates?.length ?? 0} candidate(s) brought forward`,
    ];
    for (const c of result?.candidates ?? [])
      lines.push(`  ${c.key?.repository}@${c.key?.digest?.slice(0, 19)}… ${c.phase ?? ""}`);
    for (const f of failures)
      lines.push(`  FAILED ${f.key?.repository}@${f.key?.digest?.slice(0, 19)}…: ${f.error}`);
    io.stdout(`${lines.join("\n")}\n`);
  }
  return failures.length > 0 ? ExitCode.Failed : ExitCode.Ok;
}

/** The part of the reconcile handler's result (`kind: swept`) printed here. */
interface SweepResult {
  readonly candidates?: readonly { key?: { repository?: string; digest?: string }; phase?: string }[];
  readonly failures?: readonly { key?: { repository?: string; digest?: string }; error?: string }[];
}
