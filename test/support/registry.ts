import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { rmSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A running CNCF distribution registry on a loopback port. */
export interface TestRegistry {
  /** `127.0.0.1:PORT`, the registry part of a reference. */
  readonly host: string;
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** The temp directory holding the registry's storage (removed by `stop`). */
  readonly storage: string;
  /** Kills the registry and removes its storage. Safe to call twice. */
  stop(): Promise<void>;
}

/** Options for {@link startRegistry}. */
export interface StartRegistryOptions {
  /** How long to wait for "listening on" before giving up. */
  readonly readyTimeoutMs?: number;
  /** Attempts with a new free port when the chosen one was taken in between (shared machine). */
  readonly attempts?: number;
}

const defaults = { readyTimeoutMs: 30_000, attempts: 3 } satisfies Required<StartRegistryOptions>;

/**
 * Starts `docker-registry serve` (distribution 2.8) on a free loopback port with a temp storage dir.
 * @example const registry = await startRegistry(); … await registry.stop();
 */
export async function startRegistry(options: StartRegistryOptions = {}): Promise<TestRegistry> {
  const opts = { ...defaults, ...options };
  let lastError: unknown;
  for (let attempt = 0; attempt < opts.attempts; attempt++) {
    const storage = await mkdtemp(join(tmpdir(), "portcullis-registry-"));
    try {
      return await launch(storage, await freePort(), opts.readyTimeoutMs);
    } catch (error) {
      lastError = error;
      await rm(storage, { recursive: true, force: true });
    }
  }
  throw lastError;
}

/** Asks the kernel for a free loopback port (listen on 0, read it, close). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  await once(server, "close");
  if (address === null || typeof address === "string") throw new Error("no port from the kernel");
  return address.port;
}

/** Registries still running, killed (and their storage removed) if the test process exits without stopping them. */
const running = new Map<ChildProcess, string>();
process.once("exit", () => {
  for (const [child, storage] of running) {
    child.kill("SIGKILL");
    rmSync(storage, { recursive: true, force: true });
  }
});

async function launch(storage: string, port: number, readyTimeoutMs: number): Promise<TestRegistry> {
  const host = `127.0.0.1:${port}`;
  const config = join(storage, "config.yml");
  await writeFile(config, registryConfig(host, join(storage, "data")));
  const child = spawn("docker-registry", ["serve", config], { stdio: ["ignore", "ignore", "pipe"] });
  running.set(child, storage);
  child.once("exit", () => running.delete(child));
  await waitListening(child, readyTimeoutMs);
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= kill(child).then(() => rm(storage, { recursive: true, force: true }));
    return stopped;
  };
  return { host, url: `http://${host}`, storage, stop };
}

function registryConfig(addr: string, root: string): string {
  return [
    "version: 0.1",
    "log:",
    "  level: info",
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

/** Resolves when the registry logs "listening on"; rejects if it exits first or takes too long. */
function waitListening(child: ChildProcess, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let log = "";
    const timer = setTimeout(
      () => fail(new Error(`registry not listening after ${timeoutMs} ms`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      log = (log + chunk.toString()).slice(-4000);
      if (log.includes("listening on")) done();
    };
    const onExit = (code: number | null) =>
      fail(new Error(`registry exited (${code}) before listening:\n${log}`));
    const cleanup = () => {
      clearTimeout(timer);
      child.off("exit", onExit);
    };
    function done() {
      cleanup();
      child.stderr?.off("data", onData);
      child.stderr?.resume();
      resolve();
    }
    function fail(error: Error) {
      cleanup();
      child.kill("SIGKILL");
      reject(error);
    }
    child.stderr?.on("data", onData);
    child.once("exit", onExit);
  });
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  await exited;
}
