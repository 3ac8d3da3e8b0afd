import { writeFileSync } from "node:fs";
import { mkdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { LocalDynamo } from "./LocalDynamo.ts";
import { LocalRegistry } from "./LocalRegistry.ts";
import type { StateLayout } from "./StateLayout.ts";

/** What to start. */
export interface LocalServicesOptions {
  readonly layout: StateLayout;
  /** The primary region (its registry receives the build). */
  readonly primaryRegion: string;
  /** One more registry per replica region. */
  readonly replicaRegions: readonly string[];
  /** The state table's name. */
  readonly tableName: string;
  /**
   * Keep the state table on disk in the layout's `table/` folder (emptied first: a run shows one whole
   * flow, as the registries do), so it outlives the run; otherwise in memory.
   */
  readonly persistTable?: boolean;
  /** Aborts the start (Ctrl-C): what was started is stopped, and the start rejects. */
  readonly signal?: AbortSignal;
}

/** A registry process a run started, as recorded in the state folder the moment it was spawned. */
interface KeptRegistry {
  readonly region: string;
  readonly host: string;
  readonly pid: number;
  readonly configFile: string;
}

/**
 * The loopback services of a local run: one distribution registry per region and dynalite with the
 * state table. Registries (and a persisted table) start empty every run (a run shows one whole flow); the
 * build cache stays.
 * @example const services = await LocalServices.start({ layout, primaryRegion, replicaRegions, tableName });
 */
export class LocalServices {
  private constructor(
    readonly layout: StateLayout,
    readonly primary: LocalRegistry,
    readonly replicas: readonly LocalRegistry[],
    readonly dynamo: LocalDynamo,
  ) {}

  /**
   * Stops what an earlier run left running (`--keep`, or a run killed while it started them), empties the
   * registries, starts everything. Each registry process is recorded in the state folder as it is spawned.
   */
  static async start(options: LocalServicesOptions): Promise<LocalServices> {
    const { layout, signal } = options;
    await stopKeptRegistries(layout);
    await mkdir(layout.logs, { recursive: true });
    const regions = [options.primaryRegion, ...options.replicaRegions];
    const emptied = [
      ...regions.map((region) => layout.registry(region)),
      ...(options.persistTable ? [layout.table] : []),
    ];
    await Promise.all(emptied.map((dir) => rm(dir, { recursive: true, force: true })));
    const spawned: LocalRegistry[] = [];
    const record = (registry: LocalRegistry) => {
      spawned.push(registry);
      recordSync(layout, spawned);
    };
    const started = await Promise.allSettled([
      LocalDynamo.start({
        tableName: options.tableName,
        region: options.primaryRegion,
        ...(options.persistTable && { path: layout.table }),
      }),
      ...regions.map((region) =>
        LocalRegistry.start({
          region,
          dir: layout.registry(region),
          logFile: join(layout.logs, `registry-${region}.log`),
          onSpawn: record,
          ...(signal && { signal }),
        }),
      ),
    ]);
    const failure = started.find((result) => result.status === "rejected");
    if (failure || signal?.aborted) {
      await Promise.all(started.map((result) => result.status === "fulfilled" && result.value.stop()));
      await rm(layout.servicesFile, { force: true });
      throw failure?.reason ?? signal?.reason;
    }
    const [dynamo, primary, ...replicas] = started.map(
      (result) => (result as PromiseFulfilledResult<unknown>).value,
    ) as [LocalDynamo, LocalRegistry, ...LocalRegistry[]];
    const services = new LocalServices(layout, primary, replicas, dynamo);
    recordSync(layout, services.registries);
    return services;
  }

  /** Every registry, primary first. */
  get registries(): readonly LocalRegistry[] {
    return [this.primary, ...this.replicas];
  }

  /** `region → 127.0.0.1:PORT`. */
  get hosts(): Record<string, string> {
    return Object.fromEntries(this.registries.map((registry) => [registry.region, registry.host]));
  }

  /** The registry playing a region. */
  registry(region: string): LocalRegistry {
    const found = this.registries.find((registry) => registry.region === region);
    if (!found) throw new RangeError(`no local registry for region ${JSON.stringify(region)}`);
    return found;
  }

  /**
   * Stops dynalite and, unless `keepRegistries`, the registries. Kept registries are detached (this
   * process can exit) and recorded so the next run stops them first.
   */
  async stop(options: { keepRegistries?: boolean } = {}): Promise<void> {
    await this.dynamo.stop();
    if (options.keepRegistries) {
      for (const registry of this.registries) registry.detach();
      return;
    }
    await Promise.all(this.registries.map((registry) => registry.stop()));
    await rm(this.layout.servicesFile, { force: true });
  }
}

/** Writes the registry processes started so far, synchronously: no signal can come between spawn and record. */
function recordSync(layout: StateLayout, registries: readonly LocalRegistry[]): void {
  const kept: KeptRegistry[] = registries.map((registry) => ({
    region: registry.region,
    host: registry.host,
    pid: registry.pid ?? 0,
    configFile: registry.configFile,
  }));
  writeFileSync(layout.servicesFile, `${JSON.stringify({ registries: kept }, null, 2)}\n`);
}

/**
 * Stops registries an earlier run recorded (left by `--keep`, or by a run killed before it could stop them),
 * each by its pid and process group — only if that pid is still a `docker-registry serve` of that very
 * config file (a pid may have been reused since).
 */
export async function stopKeptRegistries(layout: StateLayout): Promise<number> {
  const recorded = await readKept(layout);
  let stopped = 0;
  for (const registry of recorded) {
    if (!(await isOurRegistry(registry))) continue;
    signalGroup(registry.pid, "SIGTERM");
    for (let i = 0; i < 100 && (await isOurRegistry(registry)); i++) await sleep(50);
    if (await isOurRegistry(registry)) signalGroup(registry.pid, "SIGKILL");
    stopped++;
  }
  await rm(layout.servicesFile, { force: true });
  return stopped;
}

/**
 * `region → host` of the registries an earlier run left running (`--keep`) and that are still that run's
 * processes; a region missing from the map has no registry running.
 */
export async function keptRegistryHosts(layout: StateLayout): Promise<Record<string, string>> {
  const hosts: Record<string, string> = {};
  for (const registry of await readKept(layout))
    if (await isOurRegistry(registry)) hosts[registry.region] = registry.host;
  return hosts;
}

async function readKept(layout: StateLayout): Promise<KeptRegistry[]> {
  return readFile(layout.servicesFile, "utf8").then(
    (text) => (JSON.parse(text) as { registries?: KeptRegistry[] }).registries ?? [],
    () => [] as KeptRegistry[],
  );
}

/** Registries run in a process group of their own (spawned detached): signal it all, else the process. */
function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    process.kill(pid, signal);
  }
}

async function isOurRegistry(registry: KeptRegistry): Promise<boolean> {
  if (!Number.isInteger(registry.pid) || registry.pid <= 0) return false;
  const cmdline = await readFile(`/proc/${registry.pid}/cmdline`, "utf8").catch(() => "");
  const args = cmdline.split("\0");
  return args.includes("serve") && args.includes(registry.configFile);
}
