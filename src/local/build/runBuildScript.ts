import { spawn } from "node:child_process";
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { type Digest, isDigest } from "../../core/index.ts";
import { createRegistryClient } from "../../registry/index.ts";
import { BuildError } from "../errors.ts";
import { attachProvenance } from "./attachProvenance.ts";
import type { GitInfo } from "./gitInfo.ts";

/** What to build and where to push it. */
export interface BuildScriptOptions {
  /** `buildspec/build.sh`: the script CodeBuild runs. */
  readonly script: string;
  /** The directory the script runs in; `context` is relative to it. */
  readonly cwd: string;
  /** `HOST:PORT/REPOSITORY`, without tag. */
  readonly image: string;
  readonly git: GitInfo;
  readonly context: string;
  readonly dockerfile: string;
  readonly platforms: readonly string[];
  /** buildah's storage (vfs driver, kept between runs as the build cache). */
  readonly buildahDir: string;
  /** The script's output goes here. */
  readonly logFile: string;
  /** Each progress line of the script, as it comes. */
  readonly onLine?: (line: string) => void;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Ctrl-C: the script is stopped (SIGTERM) and the build fails. */
  readonly signal?: AbortSignal;
}

/**
 * Runs the build script in buildah mode (`PORTCULLIS_BUILDER=buildah`, `build.sh all`): every platform is
 * built natively with `--isolation chroot`, assembled into one OCI index annotated with source, revision
 * and ref, and pushed as `sha-<commit>`; then the index gets the SLSA provenance BuildKit would have stored
 * (attachProvenance: buildah writes none) and is re-pushed under that tag. Resolves to that index's digest.
 * @example const digest = await runBuildScript({ script, cwd, image: "127.0.0.1:5000/app", git, … })
 */
export async function runBuildScript(options: BuildScriptOptions): Promise<Digest> {
  const storageConf = await writeStorageConf(options.buildahDir);
  const startedOn = new Date().toISOString();
  const log = createWriteStream(options.logFile, { flags: "a" });
  const child = spawn("bash", [options.script, "all"], {
    cwd: options.cwd,
    env: { ...(options.env ?? process.env), ...buildEnv(options, storageConf) },
    stdio: ["ignore", "pipe", "pipe"],
    // A group of its own: stopping the build stops buildah and whatever else the script started.
    detached: true,
  });
  let stdout = "";
  const tail: string[] = [];
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  createInterface({ input: child.stderr }).on("line", (line) => {
    log.write(`${line}\n`);
    tail.push(line);
    if (tail.length > 15) tail.shift();
    options.onLine?.(line);
  });
  // If this process exits or is interrupted first, the build must not go on pushing on its own.
  const stop = () => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, "SIGTERM");
    } catch {
      child.kill("SIGTERM");
    }
  };
  process.once("exit", stop);
  options.signal?.addEventListener("abort", stop, { once: true });
  const [code] = (await once(child, "close")) as [number | null];
  process.off("exit", stop);
  options.signal?.removeEventListener("abort", stop);
  await new Promise((resolve) => log.end(resolve));
  const digest = stdout.trim().split("\n").at(-1)?.trim() ?? "";
  if (code !== 0 || !isDigest(digest)) throw new BuildError(code, options.logFile, tail.join("\n"));
  const slash = options.image.indexOf("/");
  return attachProvenance({
    client: createRegistryClient(options.image.slice(0, slash), { insecure: true }),
    repository: options.image.slice(slash + 1),
    index: digest,
    tag: `sha-${options.git.commit}`,
    git: options.git,
    dockerfile: options.dockerfile,
    startedOn,
    finishedOn: new Date().toISOString(),
  });
}

function buildEnv(options: BuildScriptOptions, storageConf: string): Record<string, string> {
  return {
    CONTAINERS_STORAGE_CONF: storageConf,
    PORTCULLIS_BUILDER: "buildah",
    PORTCULLIS_IMAGE: options.image,
    PORTCULLIS_COMMIT: options.git.commit,
    PORTCULLIS_REF: options.git.ref,
    PORTCULLIS_SOURCE_URL: options.git.source,
    PORTCULLIS_CONTEXT: options.context,
    PORTCULLIS_DOCKERFILE: options.dockerfile,
    PORTCULLIS_PLATFORMS: options.platforms.join(" "),
    PORTCULLIS_TLS_VERIFY: "false",
  };
}

/** buildah storage in the state folder with the vfs driver (works everywhere, no overlay support needed). */
async function writeStorageConf(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, "storage.conf");
  await writeFile(
    file,
    `[storage]\ndriver = "vfs"\ngraphroot = "${join(dir, "graph")}"\nrunroot = "${join(dir, "run")}"\n`,
  );
  return file;
}
