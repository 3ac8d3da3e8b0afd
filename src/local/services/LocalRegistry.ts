import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { closeSync, openSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { ServiceStartError } from "../errors.ts";
import { freePort } from "./freePort.ts";

/** Where and how to run one registry. */
export interface LocalRegistryOptions {
  /** The "region" it plays, e.g. `us-east-1`. */
  readonly region: string;
  /** Holds `config.yml` and `data/`. */
  readonly dir: string;
  /** stdout and stderr of the registry are appended here. */
  readonly logFile: string;
  /** A fixed port; by default a free one is picked (and picked again if taken meanwhile). */
  readonly port?: number;
  readonly readyTimeoutMs?: number;
  /** Aborts the start: nothing more is spawned, a registry not yet ready is killed. */
  readonly signal?: AbortSignal;
  /** Told synchronously right after each process is spawned (so a record never misses one). */
  readonly onSpawn?: (registry: LocalRegistry) => void;
}

const defaults = { readyTimeoutMs: 20_000, attempts: 3, stopTimeoutMs: 5_000 } as const;

/** Registries this process runs and has not detached: killed if the process exits before stopping them. */
const running = new Set<ChildProcess>();
let exitGuard = false;

function guard(child: ChildProcess): void {
  running.add(child);
  if (exitGuard) return;
  exitGuard = true;
  process.once("exit", () => {
    for (const each of running) killGroup(each, "SIGKILL");
  });
}

/** Signals the registry's process group (it runs detached, in a group of its own), else the process. */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
}

/**
 * A CNCF distribution registry (`docker-registry serve CONFIG`) on a loopback port, playing one region's
 * ECR. It runs in its own process group so Ctrl-C reaches it only through {@link stop}, and `--keep` can
 * leave it running after the pipeline exits. Until then, it is killed when this process exits.
 * @example const registry = await LocalRegistry.start({ region, dir, logFile }); … await registry.stop();
 */
export class LocalRegistry {
  #child: ChildProcess | undefined;

  private constructor(
    readonly region: string,
    readonly port: number,
    readonly dir: string,
    readonly logFile: string,
    private readonly readyTimeoutMs: number,
    private readonly events: Pick<LocalRegistryOptions, "signal" | "onSpawn"> = {},
  ) {}

  /** Starts a registry; retries with another free port if the one picked was taken in between. */
  static async start(options: LocalRegistryOptions): Promise<LocalRegistry> {
    const readyTimeoutMs = options.readyTimeoutMs ?? defaults.readyTimeoutMs;
    let lastError: unknown;
    for (let attempt = 0; attempt < (options.port ? 1 : defaults.attempts); attempt++) {
      options.signal?.throwIfAborted();
      const port = options.port ?? (await freePort());
      const registry = new LocalRegistry(options.region, port, options.dir, options.logFile, readyTimeoutMs, {
        ...(options.signal && { signal: options.signal }),
        ...(options.onSpawn && { onSpawn: options.onSpawn }),
      });
      try {
        await registry.restart();
        return registry;
      } catch (error) {
        lastError = error;
      }
    }
    throw lastError;
  }

  /** `127.0.0.1:PORT`, the registry part of an image reference. */
  get host(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** The process id while running. */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** The configuration file (also how a later run recognises a registry `--keep` left running). */
  get configFile(): string {
    return join(this.dir, "config.yml");
  }

  /** True while the process runs. */
  get running(): boolean {
    return this.#child !== undefined && this.#child.exitCode === null && this.#child.signalCode === null;
  }

  /** (Re)starts the process on the same port with the same data; resolves when `/v2/` answers. */
  async restart(): Promise<void> {
    if (this.running) return;
    await mkdir(join(this.dir, "data"), { recursive: true });
    await writeFile(this.configFile, registryConfig(this.host, join(this.dir, "data")));
    this.events.signal?.throwIfAborted();
    const log = openSync(this.logFile, "a");
    try {
      this.#child = spawn("docker-registry", ["serve", this.configFile], {
        detached: true,
        stdio: ["ignore", log, log],
      });
    } finally {
      closeSync(log);
    }
    const child = this.#child;
    guard(child);
    child.once("exit", () => running.delete(child));
    this.events.onSpawn?.(this);
    await this.#waitReady(child);
  }

  /** Stops the process (SIGTERM, SIGKILL after 5 s); the data stays. Safe to call twice. */
  async stop(): Promise<void> {
    const child = this.#child;
    if (!child || !this.running) return;
    const exited = once(child, "exit");
    killGroup(child, "SIGTERM");
    const killer = setTimeout(() => killGroup(child, "SIGKILL"), defaults.stopTimeoutMs);
    await exited;
    clearTimeout(killer);
  }

  /** Lets the pipeline exit while the registry keeps running (`--keep`). */
  detach(): void {
    if (this.#child) running.delete(this.#child);
    this.#child?.unref();
  }

  async #waitReady(child: ChildProcess): Promise<void> {
    const what = `registry for ${this.region} on ${this.host}`;
    try {
      await once(child, "spawn").catch((error: Error) => {
        throw new ServiceStartError(what, `docker-registry could not be run: ${error.message}`, {
          cause: error,
        });
      });
      await this.#pollV2(child, what);
    } catch (error) {
      const alive = child.pid !== undefined && child.exitCode === null && child.signalCode === null;
      const exited = alive && once(child, "exit");
      killGroup(child, "SIGKILL");
      await exited;
      throw error;
    }
  }

  async #pollV2(child: ChildProcess, what: string): Promise<void> {
    const deadline = Date.now() + this.readyTimeoutMs;
    while (Date.now() < deadline) {
      this.events.signal?.throwIfAborted();
      if (child.exitCode !== null || child.signalCode !== null)
        throw new ServiceStartError(
          what,
          `docker-registry exited with ${child.exitCode} (see ${this.logFile})`,
        );
      const answered = await fetch(`http://${this.host}/v2/`).then(
        (res) => res.status === 200,
        () => false,
      );
      if (answered) return;
      await sleep(50);
    }
    throw new ServiceStartError(what, `/v2/ did not answer within ${this.readyTimeoutMs} ms`);
  }
}

/** distribution 2.8 configuration: filesystem storage, deletes allowed, loopback only. */
function registryConfig(addr: string, root: string): string {
  return [
    "version: 0.1",
    "log:",
    "  level: warn",
    "  accesslog:",
    "    disabled: true",
    "storage:",
    "  filesystem:",
    `    rootdirectory: ${root}`,
    "  delete:",
    "    enabled: true",
    "http:",
    `  addr: ${addr}`,
    "",
  ].join("\n");
}
