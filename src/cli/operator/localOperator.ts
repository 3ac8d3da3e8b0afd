import { access } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { loadConfig, type PortcullisConfig } from "../../config/index.ts";
import { portcullisEventDefaults } from "../../events/index.ts";
import { resolveSettings } from "../../handlers/edge/handlerSettings.ts";
import type { RollbackContext } from "../../handlers/rollback/rollbackRelease.ts";
import { settingsFromConfig } from "../../handlers/settingsFromConfig.ts";
import { loadPolicyFile } from "../../lambda/loadPolicyFile.ts";
import { BusEventPublisher } from "../../local/adapters/BusEventPublisher.ts";
import { FileLog } from "../../local/adapters/FileLog.ts";
import { LocalFindingsSource } from "../../local/adapters/LocalFindingsSource.ts";
import { reportDestinations } from "../../local/adapters/reportDestinations.ts";
import { NoLocalStateError, StateLockedError } from "../../local/errors.ts";
import { wirePipeline } from "../../local/pipeline/wirePipeline.ts";
import { type LocalState, openLocalState } from "../../local/services/openLocalState.ts";
import { readRecordedRun } from "../../local/services/recordedRun.ts";
import { stateLayout } from "../../local/services/StateLayout.ts";
import type { OperatorPorts } from "../../operator/OperatorPorts.ts";
import { createReleaseStore } from "../../store/index.ts";
import { type CommandIo, UsageError } from "../Command.ts";
import { awsOperatorContext, type OperatorOptions } from "./operatorContext.ts";

/** The options of the commands that also work on the local pipeline's state (`status`, `history`, `rollback`). */
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
  const state = await openState(io, target, config);
  try {
    return await read(state.ports, state.offline);
  } finally {
    await state.close();
  }
}

/**
 * Runs `rollback` over the local pipeline's state (`--local`): the persisted table (dynalite, under the state
 * lock), the registries a `--keep` run left running as the regions, the findings and policy the run gated with
 * (recorded in `run.json`) for the policy check, and the report and notify handlers wired as the local
 * pipeline wires them, so the check run and the Slack message land in the state folder's `reports/`. Without
 * a recorded run the policy check cannot run: refused unless `--force` (then recorded as forced).
 * `run` gets the regions whose registry is not running, to refuse before anything moves.
 * @example await withLocalRollback(io, args, (ctx, offline) => runRollback(ctx, args, io, offline))
 */
export async function withLocalRollback(
  io: CommandIo,
  target: ReadTarget & { readonly force: boolean; readonly repository: string },
  run: (ctx: RollbackContext, offline: Readonly<Record<string, string>>) => Promise<number>,
): Promise<number> {
  if (target.outputs !== undefined) throw new UsageError("--outputs names AWS outputs: not with --local");
  const configFile = resolve(io.cwd, target.config ?? "portcullis.config.ts");
  const config = await loadConfig(configFile);
  const layout = stateLayout(io.cwd, target.state);
  const folder = relative(io.cwd, layout.root) || ".";
  const recorded = await readRecordedRun(layout);
  const unrecorded = `${folder}/run.json does not say which findings and policy the local run gated with (run \`npm start -- --keep\` again to record them), so the rollback cannot check the target still passes the policy`;
  if (recorded === undefined && !target.force)
    throw new UsageError(`${unrecorded}: add --force to roll back without the check (recorded as forced)`);
  const policyFile = recorded?.policyFile ?? config.policyFile;
  const policy = await loadPolicyFile(policyFile, dirname(configFile));
  const account = recorded?.account ?? portcullisEventDefaults.account;
  const state = await openState(io, target, config);
  const logFile = join(layout.logs, "operator.log");
  const configured = config.repositories.map((r) => r.name);
  // The report and notify handlers, as the local pipeline wires them; only over every region running (a
  // region down refuses the rollback before anything is read, published or moved).
  const wired =
    Object.keys(state.offline).length > 0
      ? undefined
      : wirePipeline({
          config,
          repository: configured.includes(target.repository) ? target.repository : (configured[0] ?? ""),
          scenario: { name: "recorded", folder: recorded?.findings ?? layout.root, policyFile, policy },
          hosts: state.hosts,
          dynamo: state.table,
          account,
          logFile,
          reportsDir: layout.reports,
          destinations: reportDestinations({ env: {}, reportsDir: layout.reports, resumeReports: true }),
        });
  const unwired = { publish: () => Promise.reject(new Error("a region's registry is not running")) };
  const ctx: RollbackContext = {
    store: createReleaseStore(state.table),
    catalog: state.ports.catalog,
    registry: state.ports.registry,
    findings: recorded
      ? new LocalFindingsSource({ folder: recorded.findings, account })
      : { scanReport: () => Promise.reject(new Error(unrecorded)) },
    events: wired ? new BusEventPublisher(wired.pipeline.parts.bus) : unwired,
    notifications: wired?.topic ?? unwired,
    clock: { now: () => new Date() },
    log: new FileLog(logFile, "operator"),
    metrics: wired?.metrics ?? { count() {}, duration() {} },
    settings: resolveSettings(settingsFromConfig(config, { account, policy })),
  };
  try {
    return await run(ctx, state.offline);
  } finally {
    try {
      await wired?.pipeline.settle();
    } finally {
      wired?.close();
      await state.close();
    }
  }
}

/** Opens the state folder; a missing or busy folder is a UsageError naming it. */
async function openState(io: CommandIo, target: ReadTarget, config: PortcullisConfig): Promise<LocalState> {
  try {
    return await openLocalState({ layout: stateLayout(io.cwd, target.state), cwd: io.cwd, config });
  } catch (error) {
    if (error instanceof NoLocalStateError || error instanceof StateLockedError)
      throw new UsageError(error.message);
    throw error;
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
