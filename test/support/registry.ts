import { rmSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../src/local/services/freePort.ts";
import { LocalRegistry } from "../../src/local/services/LocalRegistry.ts";

export { freePort };

/** A running CNCF distribution registry on a loopback port. */
export interface TestRegistry {
  /** `127.0.0.1:PORT`, the registry part of a reference. */
  readonly host: string;
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** The temp directory holding the registry's storage (`data/`), removed by `stop`. */
  readonly storage: string;
  /** Kills the registry and removes its storage. Safe to call twice. */
  stop(): Promise<void>;
}

/** Options for {@link startRegistry}. */
export interface StartRegistryOptions {
  /** How long to wait for `/v2/` to answer before giving up. */
  readonly readyTimeoutMs?: number;
}

const defaults = { readyTimeoutMs: 30_000 } satisfies Required<StartRegistryOptions>;

/** Registries still running, killed (and their storage removed) if the test process exits without stopping them. */
const running = new Map<LocalRegistry, string>();
process.once("exit", () => {
  for (const [registry, storage] of running) {
    if (registry.pid !== undefined) process.kill(registry.pid, "SIGKILL");
    rmSync(storage, { recursive: true, force: true });
  }
});

/**
 * Starts `docker-registry serve` (distribution 2.8) on a free loopback port with a temp storage dir: the local
 * pipeline's {@link LocalRegistry}, with a throwaway folder and cleanup for tests and benchmarks.
 * @example const registry = await startRegistry(); … await registry.stop();
 */
export async function startRegistry(options: StartRegistryOptions = {}): Promise<TestRegistry> {
  const { readyTimeoutMs } = { ...defaults, ...options };
  const storage = await mkdtemp(join(tmpdir(), "portcullis-registry-"));
  let registry: LocalRegistry;
  try {
    registry = await LocalRegistry.start({
      region: "test",
      dir: storage,
      logFile: join(storage, "registry.log"),
      readyTimeoutMs,
    });
  } catch (error) {
    await rm(storage, { recursive: true, force: true });
    throw error;
  }
  running.set(registry, storage);
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= registry.stop().then(() => {
      running.delete(registry);
      return rm(storage, { recursive: true, force: true });
    });
    return stopped;
  };
  return { host: registry.host, url: `http://${registry.host}`, storage, stop };
}
