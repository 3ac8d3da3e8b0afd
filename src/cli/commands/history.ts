import { formatIssues } from "../../core/formatIssue.ts";
import { parseRepositoryName } from "../../core/repositoryName.ts";
import { parseTagName } from "../../core/tagName.ts";
import { renderHistory } from "../../operator/historyView.ts";
import type { OperatorPorts } from "../../operator/OperatorPorts.ts";
import { readHistory } from "../../operator/readHistory.ts";
import { type Command, type CommandIo, ExitCode, UsageError } from "../Command.ts";
import { LOCAL_OPTIONS, LOCAL_USAGE, withOperatorPorts } from "../operator/localOperator.ts";
import { localFlags, OPERATOR_USAGE, operatorFlags, parseOperatorArgs } from "../operator/operatorArgs.ts";

const usage = `Usage: portcullis history REPOSITORY TAG [--local [--state DIR]]

Which digest the tag pointed to, when it moved, why (promotion, rollback; later demotion or rollback off it)
and by what (an event, or the operator and their reason); and where it points in every region now. With
--local, a region whose registry is not running (the local pipeline stops them after a run unless --keep)
is shown as not read.

${LOCAL_USAGE}
${OPERATOR_USAGE}

Exit codes: 0 shown, 1 a region's registry did not answer, 2 bad input (unknown repository or tag).`;

/** `portcullis history`. */
export const command: Command = {
  name: "history",
  summary: "How a promotion tag moved: when, to which digest, why and by whom, per region",
  usage,
  async run(argv, io) {
    const args = parseHistoryArgs(argv);
    return withOperatorPorts(io, args, (ports, offline) => runHistory(ports, args, io, offline));
  },
};

/** The parsed command line. */
export type HistoryArgs = ReturnType<typeof parseHistoryArgs>;

/** Parses `history`'s arguments, naming each bad value. */
export function parseHistoryArgs(argv: readonly string[]) {
  const { values, positionals } = parseOperatorArgs(argv, LOCAL_OPTIONS);
  const [repository, tag] = positionals;
  if (positionals.length !== 2 || repository === undefined || tag === undefined)
    throw new UsageError(`expected REPOSITORY TAG, got ${positionals.length} argument(s)`);
  if (!parseRepositoryName(repository).ok)
    throw new UsageError(`REPOSITORY ${JSON.stringify(repository)} is not a repository name`);
  if (!parseTagName(tag).ok) throw new UsageError(`TAG ${JSON.stringify(tag)} is not a tag name`);
  return {
    repository,
    tag,
    ...operatorFlags(values),
    ...localFlags(values),
  };
}

/** Reads the tag's history and each region's current digest, and prints them. */
export async function runHistory(
  ctx: Pick<OperatorPorts, "store" | "registry" | "settings">,
  args: Pick<HistoryArgs, "repository" | "tag" | "json">,
  io: CommandIo,
  offline: Readonly<Record<string, string>> = {},
): Promise<number> {
  const read = await readHistory(ctx, args.repository, args.tag, offline);
  if (!read.ok) {
    io.stderr(`portcullis history: ${formatIssues(read.error)}\n`);
    return ExitCode.Usage;
  }
  const { view, unreachable } = read.value;
  io.stdout(args.json ? `${JSON.stringify(view, null, 2)}\n` : renderHistory(view));
  return unreachable ? ExitCode.Failed : ExitCode.Ok;
}
