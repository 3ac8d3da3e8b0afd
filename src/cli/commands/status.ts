import { isDigest } from "../../core/digest.ts";
import { formatIssues } from "../../core/formatIssue.ts";
import { parseRepositoryName } from "../../core/repositoryName.ts";
import type { OperatorPorts } from "../../operator/OperatorPorts.ts";
import { readStatus } from "../../operator/readStatus.ts";
import { renderStatus } from "../../operator/statusView.ts";
import { type Command, type CommandIo, ExitCode, UsageError } from "../Command.ts";
import { LOCAL_OPTIONS, LOCAL_USAGE, withOperatorPorts } from "../operator/localOperator.ts";
import { localFlags, OPERATOR_USAGE, operatorFlags, parseOperatorArgs } from "../operator/operatorArgs.ts";

const usage = `Usage: portcullis status [REPOSITORY[:TAG|@DIGEST]] [--limit N] [--local [--state DIR]]

The recent candidates, newest first: commit and ref, phase, the decision and its reasons (blocking findings,
exceptions used and their expiries), promoted tags, and per replica region whether replication is done,
pending or failed (with the error and the next retry). A scanning candidate says which platforms it waits
for and until when. Without an argument, every configured repository.

  REPOSITORY        one repository; :TAG the release the tag points at now, @DIGEST one candidate
  --limit N         candidates per repository (default 10)
${LOCAL_USAGE}
${OPERATOR_USAGE}

Exit codes: 0 shown, 2 bad input (unknown repository, tag or digest).`;

/** `portcullis status`. */
export const command: Command = {
  name: "status",
  summary: "Where recent releases stand: decision, reasons, tags, replication per region",
  usage,
  async run(argv, io) {
    const args = parseStatusArgs(argv);
    return withOperatorPorts(io, args, (ports) => runStatus(ports, args, io));
  },
};

/** The parsed command line. */
export type StatusArgs = ReturnType<typeof parseStatusArgs>;

/** Parses `status`'s arguments, naming each bad value. */
export function parseStatusArgs(argv: readonly string[]) {
  const { values, positionals } = parseOperatorArgs(argv, { limit: { type: "string" }, ...LOCAL_OPTIONS });
  if (positionals.length > 1)
    throw new UsageError(`expected at most one REPOSITORY, got ${positionals.length}`);
  const limit = Number(values.limit ?? "10");
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
    throw new UsageError(`--limit ${JSON.stringify(values.limit)} must be a whole number from 1 to 1000`);
  const target = positionals[0] === undefined ? undefined : parseTarget(positionals[0]);
  return {
    target,
    limit,
    ...operatorFlags(values),
    ...localFlags(values),
  };
}

function parseTarget(text: string): { repository: string; tag?: string; digest?: `sha256:${string}` } {
  const at = text.indexOf("@");
  const [name, digest] = at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
  const colon = name.lastIndexOf(":");
  const [repository, tag] = colon < 0 ? [name, undefined] : [name.slice(0, colon), name.slice(colon + 1)];
  if (!parseRepositoryName(repository).ok)
    throw new UsageError(`REPOSITORY ${JSON.stringify(repository)} is not a repository name`);
  if (digest !== undefined && !isDigest(digest))
    throw new UsageError(`@DIGEST ${JSON.stringify(digest)} must be sha256: followed by 64 lowercase hex`);
  return {
    repository,
    ...(tag !== undefined && { tag }),
    ...(digest !== undefined && { digest: digest as `sha256:${string}` }),
  };
}

/** Reads the candidates asked for and prints them; a refused argument is named on stderr (exit 2). */
export async function runStatus(
  ctx: OperatorPorts,
  args: Pick<StatusArgs, "target" | "limit" | "json">,
  io: CommandIo,
): Promise<number> {
  const rows = await readStatus(ctx, args.target, args.limit);
  if (!rows.ok) {
    io.stderr(`portcullis status: ${formatIssues(rows.error)}\n`);
    return ExitCode.Usage;
  }
  io.stdout(args.json ? `${JSON.stringify(rows.value, null, 2)}\n` : renderStatus(rows.value));
  return ExitCode.Ok;
}
