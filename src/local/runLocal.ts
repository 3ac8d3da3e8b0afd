import { access, mkdir, readdir, rm } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import type { PortcullisConfig, RepositoryConfig } from "../config/index.ts";
import { packageRoot } from "../core/packageRoot.ts";
import { portcullisEventDefaults } from "../events/index.ts";
import { githubHost } from "../report/index.ts";
import { localAttestationKey } from "./adapters/localAttestationKey.ts";
import { type ReportDestinations, reportDestinations } from "./adapters/reportDestinations.ts";
import { buildExample } from "./build/buildExample.ts";
import { InterruptedError } from "./errors.ts";
import { DEMOTE_FINDINGS } from "./pipeline/demoteLocally.ts";
import { formatPreviews } from "./pipeline/formatPreviews.ts";
import { formatSummary } from "./pipeline/formatSummary.ts";
import type { RunSummary } from "./pipeline/RunSummary.ts";
import { type ReleaseBuild, runReleases } from "./pipeline/runReleases.ts";
import { runScenario } from "./pipeline/runScenario.ts";
import { formatDuration, ProgressView } from "./progress/ProgressView.ts";
import { loadScenario, type Scenario } from "./scenario/loadScenario.ts";
import { LocalServices, stopKeptRegistries } from "./services/LocalServices.ts";
import { recordRun } from "./services/recordedRun.ts";
import { type StateLayout, stateLayout, stateLayoutDefaults } from "./services/StateLayout.ts";
import { StateLock } from "./services/StateLock.ts";
import { ensureTools } from "./tools/ensureTools.ts";

/** Where Portcullis itself lives: the build script and the shipped scenarios and policies. */
const PACKAGE_ROOT = packageRoot(import.meta.url);

/** What `portcullis local` was asked to do. */
export interface RunLocalOptions {
  /** The validated configuration and the folder its relative paths resolve against. */
  readonly config: PortcullisConfig;
  readonly configDir: string;
  /** Where the state folder resolves against (the working directory). */
  readonly cwd: string;
  /** A shipped scenario (default `pass`), or `findings` for your own folder. */
  readonly scenario?: string;
  readonly findings?: string;
  /** The state folder (default `.portcullis`); `clean` removes it first. */
  readonly state?: string;
  readonly clean?: boolean;
  /** Leave the registries running after the run. */
  readonly keep?: boolean;
  /** The git ref the build claims (default: the configuration's first release branch). */
  readonly ref?: string;
  /** `OWNER/REPO` the image's source points at (default: the configuration's GitHub repository). */
  readonly githubRepo?: string;
  /** GitHub and Slack settings (GITHUB_APP_*, GITHUB_TOKEN, GITHUB_API_URL, SLACK_WEBHOOK_URL). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly out: { readonly write: (text: string) => void; readonly tty: boolean; readonly columns?: number };
  /**
   * Ctrl-C: nothing new starts, the work in flight settles, what was started is stopped, and the run rejects
   * with InterruptedError.
   */
  readonly signal?: AbortSignal;
}

/** How a local run ended. */
export interface LocalRun {
  readonly report: RunSummary;
  readonly layout: StateLayout;
  readonly seconds: number;
}

/**
 * `npm start`: checks the scenario, installs missing tools, starts the loopback services, builds the example
 * with the build script CodeBuild runs (buildah mode), and runs the pipeline over it with a live progress
 * view and a final summary. One run at a time uses a state folder (a lock file holds its pid). Throws
 * ScenarioError (bad input), StateLockedError (another run uses the folder), InterruptedError (`signal`
 * aborted) or MissingToolsError/ServiceStartError/BuildError (something to fix on this machine); a pipeline
 * that misbehaves is reported in `report.problems`.
 * @example const { report } = await runLocal({ config, configDir, cwd, out: { write, tty } });
 */
export async function runLocal(options: RunLocalOptions): Promise<LocalRun> {
  const layout = stateLayout(options.cwd, options.state);
  await mkdir(layout.root, { recursive: true });
  const lock = await StateLock.acquire({
    file: layout.lockFile,
    folder: relative(options.cwd, layout.root) || ".",
  });
  try {
    return await runLocked(options, layout);
  } finally {
    await lock.release();
  }
}

async function runLocked(options: RunLocalOptions, layout: StateLayout): Promise<LocalRun> {
  const started = performance.now();
  const { signal } = options;
  if (options.clean) await cleanState(layout);
  const repository = options.config.repositories[0];
  if (!repository) throw new Error("the configuration lists no repository");
  const scenario = await loadScenario({
    ...(options.scenario !== undefined && { name: options.scenario }),
    ...(options.findings !== undefined && { folder: resolve(options.cwd, options.findings) }),
    examplesDir: join(PACKAGE_ROOT, "examples/findings"),
    defaultPolicyFile: await defaultPolicy(options.config),
    platforms: repository.platforms,
  });
  await recordRun(layout, {
    findings: findingsAtEnd(scenario),
    policyFile: scenario.policyFile,
    account: portcullisEventDefaults.account,
  });
  const destinations = reportDestinations({
    env: options.env,
    ...(options.githubRepo !== undefined && { githubRepo: options.githubRepo }),
    reportsDir: layout.reports,
  });
  const view = new ProgressView({
    write: options.out.write,
    tty: options.out.tty,
    columns: options.out.columns,
  });
  options.out.write(header(scenario, layout, options.cwd));
  const services = await interruptible(signal, "the services' start", () =>
    startServices(options, layout, view),
  ).catch((error: unknown) => {
    view.close();
    throw error;
  });
  let report: RunSummary;
  try {
    report = await buildAndRun(options, { services, view, repository, scenario, destinations });
  } finally {
    view.close();
    await services.stop({ keepRegistries: options.keep ?? false });
  }
  options.out.write(formatPreviews(report, options.cwd));
  if (report.operations) options.out.write(report.operations);
  options.out.write(formatSummary(report, options.cwd));
  if (options.keep) options.out.write(keptRegistries(services, repository.name));
  const seconds = (performance.now() - started) / 1000;
  const folder = relative(options.cwd, layout.root) || ".";
  const stateFlag = options.state === undefined ? "" : ` --state ${folder}`;
  options.out.write(
    `\nDone in ${formatDuration(seconds * 1000)} (state: ${folder}; \`portcullis status --local${stateFlag}\` reads it again)\n`,
  );
  return { report, layout, seconds };
}

/**
 * The findings the run serves once it is done (what `rollback --local` checks against): an `afterPromotion`
 * scenario's later folder, the demote operation's, or the scenario's own.
 */
function findingsAtEnd(scenario: Scenario): string {
  if (scenario.operate === "demote") return join(scenario.folder, DEMOTE_FINDINGS);
  if (scenario.afterPromotion) return resolve(scenario.folder, scenario.afterPromotion.findings);
  return scenario.folder;
}

/** Builds the example into the primary registry, then runs the pipeline over it. */
async function buildAndRun(
  options: RunLocalOptions,
  run: {
    services: LocalServices;
    view: ProgressView;
    repository: RepositoryConfig;
    scenario: Scenario;
    destinations: ReportDestinations;
  },
): Promise<RunSummary> {
  const { signal } = options;
  const { services, view, repository } = run;
  const build = (release: ReleaseBuild) =>
    interruptible(signal, "the build", () =>
      buildExample({
        script: join(PACKAGE_ROOT, "buildspec/build.sh"),
        configDir: options.configDir,
        repository,
        primary: services.primary.host,
        source: sourceUrl(options),
        layout: services.layout,
        view,
        ...release,
        ...(signal && { signal }),
      }),
    );
  const attestation = await localAttestationKey(
    services.layout.attestationKey,
    services.layout.attestationPublicKey,
  );
  const scenario = {
    attestation,
    services,
    config: options.config,
    scenario: run.scenario,
    account: portcullisEventDefaults.account,
    view,
    destinations: run.destinations,
    ...(signal && { signal }),
  };
  const { operate } = run.scenario;
  if (operate !== undefined)
    return interruptible(signal, "the pipeline", () => runReleases({ ...scenario, build, operate }));
  const image = await build({
    ref: options.ref ?? `refs/heads/${options.config.github.branches[0] ?? "main"}`,
  });
  return interruptible(signal, "the pipeline", () => runScenario({ ...scenario, image }));
}

/** Runs a step; once `signal` is aborted, whatever the step ends with becomes an InterruptedError. */
async function interruptible<T>(
  signal: AbortSignal | undefined,
  during: string,
  step: () => Promise<T>,
): Promise<T> {
  try {
    signal?.throwIfAborted();
    const value = await step();
    signal?.throwIfAborted();
    return value;
  } catch (error) {
    if (signal?.aborted) throw new InterruptedError(during);
    throw error;
  }
}

/** `--clean`: stops what an earlier run left running and empties the state folder (but for this run's lock). */
async function cleanState(layout: StateLayout): Promise<void> {
  await stopKeptRegistries(layout);
  const entries = await readdir(layout.root);
  await Promise.all(
    entries
      .filter((entry) => join(layout.root, entry) !== layout.lockFile)
      .map((entry) => rm(join(layout.root, entry), { recursive: true, force: true })),
  );
}

async function startServices(options: RunLocalOptions, layout: StateLayout, view: ProgressView) {
  view.start("tools", "system tools", "docker-registry, buildah, skopeo");
  await prepareState(layout);
  const installed = await ensureTools({
    logFile: join(layout.logs, "apt.log"),
    onInstall: (packages) => view.note("tools", `installing ${packages.join(" ")} with apt-get`),
  });
  view.done("tools", installed.length ? `installed ${installed.join(" ")}` : "all present");
  const regions = [options.config.primaryRegion, ...options.config.replicaRegions];
  view.start("services", "start services", `${regions.length} registries + dynalite`);
  const services = await LocalServices.start({
    layout,
    primaryRegion: options.config.primaryRegion,
    replicaRegions: options.config.replicaRegions,
    tableName: stateLayoutDefaults.tableName,
    persistTable: true,
    ...(options.signal && { signal: options.signal }),
  });
  view.done("services", regions.map((region) => `${region} ${services.registry(region).host}`).join(", "));
  return services;
}

/** The repository URL recorded in the image (`org.opencontainers.image.source`): where the report goes. */
function sourceUrl(options: RunLocalOptions): string {
  const { owner, repo } = options.config.github;
  const host = githubHost(options.env.GITHUB_API_URL || "https://api.github.com");
  return `https://${host}/${options.githubRepo ?? `${owner}/${repo}`}`;
}

async function defaultPolicy(config: PortcullisConfig): Promise<string> {
  const configured = await access(config.policyFile).then(
    () => true,
    () => false,
  );
  return configured ? config.policyFile : join(PACKAGE_ROOT, "examples/policies/portcullis.policy.yaml");
}

/** Logs and reports are per run; the build cache stays. */
async function prepareState(layout: StateLayout): Promise<void> {
  await Promise.all([layout.logs, layout.reports].map((dir) => rm(dir, { recursive: true, force: true })));
  await Promise.all(
    [layout.logs, layout.reports, layout.buildah].map((dir) => mkdir(dir, { recursive: true })),
  );
}

function header(scenario: Scenario, layout: StateLayout, cwd: string): string {
  return [
    `Portcullis local pipeline — scenario ${scenario.name}${scenario.description ? `: ${scenario.description}` : ""}`,
    `State and logs in ${relative(cwd, layout.root) || "."}/ (--clean removes it)`,
    "",
    "",
  ].join("\n");
}

function keptRegistries(services: LocalServices, repository: string): string {
  const lines = ["", "Registries left running (--keep); inspect them with skopeo, e.g.:"];
  for (const registry of services.registries)
    lines.push(
      `  ${registry.region.padEnd(16)} skopeo list-tags --tls-verify=false docker://${registry.host}/${repository}`,
    );
  lines.push("They are stopped by the next `npm start` (or `npm start -- --clean`).");
  return `${lines.join("\n")}\n`;
}
