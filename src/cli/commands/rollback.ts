import { isDigest } from "../../core/digest.ts";
import { parseRepositoryName } from "../../core/repositoryName.ts";
import { parseTagName } from "../../core/tagName.ts";
import {
  type RollbackOrder,
  RollbackRefusedError,
  rollbackRelease,
} from "../../handlers/rollback/rollbackRelease.ts";
import { renderRollback } from "../../operator/renderRollback.ts";
import { type Command, type CommandIo, ExitCode, UsageError } from "../Command.ts";
import { LOCAL_OPTIONS, LOCAL_USAGE, withLocalRollback } from "../operator/localOperator.ts";
import { localFlags, OPERATOR_USAGE, operatorFlags, parseOperatorArgs } from "../operator/operatorArgs.ts";
import { awsOperatorContext, type OperatorContext } from "../operator/operatorContext.ts";

const usage = `Usage: portcullis rollback REPOSITORY --to DIGEST|previous --reason TEXT [--tags T,…] [--force] [--by NAME] [--local [--state DIR]]

Moves promotion tags back onto an earlier release, in the primary region and then every replica region, each
read back. By default the floating tags (latest, branch tags, 1.2, 1) the current release holds and that held
the target before; never an exact version or build tag. Only to a release Portcullis promoted that still
passes the current policy, unless --force (recorded in the tag history and reported as forced). Nothing moves
anywhere when the command refuses (unknown repository, tag or digest; a region that lacks it or is down).
Idempotent with --to DIGEST; --to previous refuses to roll back twice. A later event of the rolled-back
release does not move the tags back. Recorded in each tag's history; announced on the notification topic.
With --local, over what \`npm start -- --keep\` left: its state table, its running registries (a region whose
registry is not running refuses the rollback), the findings and policy the run gated with (recorded in the
state folder; without them only --force rolls back), and the check run and Slack message filed in reports/.

  --to DIGEST|previous  sha256:… of the release to go back to, or the one the tags held before
  --tags T,…            the tags to move (default: see above)
  --reason TEXT         why (required; recorded and reported)
  --by NAME             who (default $USER)
  --force               move even to a digest the checks refuse
${LOCAL_USAGE}
${OPERATOR_USAGE}

Exit codes: 0 moved (or already there) in every region, 1 a region failed (run it again), 2 refused or bad input.`;

/** `portcullis rollback`: the CLI edge over {@link rollbackRelease}. */
export const command: Command = {
  name: "rollback",
  summary: "Move promotion tags back to an earlier release, in every region",
  usage,
  async run(argv, io) {
    const args = parseRollbackArgs(argv, io.env);
    if (args.local)
      return withLocalRollback(
        io,
        { ...args, force: args.order.force, repository: args.order.repository },
        (ctx, offline) => runRollback(ctx, args, io, offline),
      );
    if (args.state !== undefined) throw new UsageError("--state is only read with --local");
    return runRollback(await awsOperatorContext(io, args), args, io);
  },
};

/** The parsed command line. */
export type RollbackArgs = ReturnType<typeof parseRollbackArgs>;

/**
 * Turns the command line into a rollback order, naming each bad field and value.
 * @example parseRollbackArgs(["team/app", "--to", "previous", "--reason", "p99"], {}).order.to // => { kind: "previous" }
 */
export function parseRollbackArgs(argv: readonly string[], env: CommandIo["env"]) {
  const { values, positionals } = parseOperatorArgs(argv, {
    to: { type: "string" },
    tags: { type: "string" },
    reason: { type: "string" },
    by: { type: "string" },
    force: { type: "boolean" },
    ...LOCAL_OPTIONS,
  });
  if (positionals.length !== 1)
    throw new UsageError(`expected REPOSITORY, got ${positionals.length} argument(s)`);
  const repository = parseRepositoryName(positionals[0], "REPOSITORY");
  if (!repository.ok)
    throw new UsageError(`REPOSITORY ${JSON.stringify(positionals[0])} is not a repository name`);
  const to = values.to;
  if (to === undefined) throw new UsageError("--to is required (a sha256:… digest or previous)");
  if (to !== "previous" && !isDigest(to))
    throw new UsageError(
      `--to ${JSON.stringify(to)} must be previous or sha256: followed by 64 lowercase hex`,
    );
  const reason = values.reason?.trim();
  if (!reason) throw new UsageError("--reason is required: say why (it is recorded and reported)");
  const tags = values.tags?.split(",").map((t) => t.trim());
  for (const tag of tags ?? [])
    if (!parseTagName(tag, "--tags").ok)
      throw new UsageError(`--tags ${JSON.stringify(tag)} is not a tag name`);
  const order: RollbackOrder = {
    repository: repository.value,
    to: to === "previous" ? { kind: "previous" } : { kind: "digest", digest: to as `sha256:${string}` },
    reason,
    by: values.by ?? env.USER ?? "operator",
    force: values.force ?? false,
    ...(tags && { tags }),
  };
  return {
    order,
    ...operatorFlags(values),
    ...localFlags(values),
  };
}

/**
 * Runs a parsed rollback against the given ports and prints the outcome. `offline` (region → why; the local
 * registries not running) refuses it before anything is read or moved.
 */
export async function runRollback(
  ctx: OperatorContext | Parameters<typeof rollbackRelease>[0],
  args: Pick<RollbackArgs, "order" | "json">,
  io: CommandIo,
  offline: Readonly<Record<string, string>> = {},
): Promise<number> {
  try {
    const down = Object.entries(offline).map(([region, why]) => ({
      field: "region",
      value: region,
      message: `cannot take the rollback: ${why}`,
    }));
    if (down.length > 0) throw new RollbackRefusedError(down, "region");
    const outcome = await rollbackRelease(ctx, args.order);
    io.stdout(
      args.json ? `${JSON.stringify(outcome, null, 2)}\n` : renderRollback(outcome, args.order.reason),
    );
    return outcome.regions.every((r) => r.kind === "moved") ? ExitCode.Ok : ExitCode.Failed;
  } catch (error) {
    if (!(error instanceof RollbackRefusedError)) throw error;
    if (args.json) io.stdout(`${JSON.stringify({ refused: error.kind, issues: error.issues }, null, 2)}\n`);
    io.stderr(`portcullis rollback: refused, nothing moved:\n${error.message.replace(/^/gm, "  ")}\n`);
    return error.kind === "region" ? ExitCode.Failed : ExitCode.Usage;
  }
}
