import { access } from "node:fs/promises";
import { relative, resolve } from "node:path";
import { loadConfig } from "../../config/index.ts";
import { NoLocalStateError, StateLockedError } from "../../local/errors.ts";
import { type LocalState, openLocalState } from "../../local/services/openLocalState.ts";
import { stateLayout } from "../../local/services/StateLayout.ts";
import type { OperatorPorts } from "../../operator/OperatorPorts.ts";
import { type CommandIo, UsageError } from "../Command.ts";
import { awsOperatorContext, type OperatorOptions } from "./operatorContext.ts";

/** The options of the commands that also read the local pipeline's state (`status`, `history`). */
export const LOCAL_OPTIONS = {
  local: { type: "boolean" },
  state: { type: "string" },
} as const;

/** The usage lines of {@link LOCAL_OPTIONS}. */
export const LOCAL_USAGE = `  --local           read the local pipeline's state (what the last \`npm start\` left), not AWS
  --state DIR       with --local, the state folder (default .portcullis)`;

/** Where a status or history reads from. */
export interface ReadTarget extends OperatorOptions {
  readonly local: boolean;
  readonly state?: string | undefined;
}

/**
 * Runs `read` over the operator's ports: AWS (from the deployed outputs), or with `--local` the state folder
 * a local run left (dynalite started over its table for the read, then stopped; the registries read only if
 * a `--keep` run left them running). A missing or busy folder is a UsageError naming it.
 * @example await withOperatorPorts(io, args, (ports, offline) => runStatus(ports, args, io))
 */
export async function withOperatorPorts(
  io: CommandIo,
  target: ReadTarget,
  read: (ports: OperatorPorts, offline: Readonly<Record<string, string>>) => Promise<number>,
): Promise<number> {
  if (!target.local) {
    if (target.state !== undefined) throw new UsageError("--state is only read with --local");
    return read(await awsOperatorContext(io, target).catch((error) => hintLocal(io, error)), {});
  }
  if (target.outputs !== undefined) throw new UsageError("--outputs names AWS outputs: not with --local");
  const config = await loadConfig(resolve(io.cwd, target.config ?? "portcullis.config.ts"));
  let state: LocalState;
  try {
    state = await openLocalState({
      layout: stateLayout(io.cwd, target.state),
      cwd: io.cwd,
      config,
    });
  } catch (error) {
    if (error instanceof NoLocalStateError || error instanceof StateLockedError)
      throw new UsageError(error.message);
    throw error;
  }
  try {
    return await read(state.ports, state.offline);
  } finally {
    await state.close();
  }
}

/** No deployed outputs, but a local run's table: the error says `--local` reads it. */
async function hintLocal(io: CommandIo, error: unknown): Promise<never> {
  const table = stateLayout(io.cwd).table;
  if (error instanceof UsageError && error.message.startsWith("--outputs") && (await exists(table)))
    throw new UsageError(
      `${error.message} (a local run's state is in ${relative(io.cwd, table)}/: add --local)`,
    );
  throw error;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
