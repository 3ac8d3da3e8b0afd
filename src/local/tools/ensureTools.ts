import { spawn } from "node:child_process";
import { once } from "node:events";
import { closeSync, openSync } from "node:fs";
import { access, constants } from "node:fs/promises";
import { delimiter, join } from "node:path";
import { MissingToolsError } from "../errors.ts";

/** A command the local pipeline runs, and the Debian package that provides it. */
export interface Tool {
  readonly command: string;
  readonly debianPackage: string;
}

/** The system tools of the local pipeline: the registries, the builder, and skopeo (used by the build script). */
export const LOCAL_TOOLS: readonly Tool[] = [
  { command: "docker-registry", debianPackage: "docker-registry" },
  { command: "buildah", debianPackage: "buildah" },
  { command: "skopeo", debianPackage: "skopeo" },
];

/** Options for {@link ensureTools}. */
export interface EnsureToolsOptions {
  readonly tools?: readonly Tool[];
  /** Where commands are looked up (`PATH`) and apt-get runs. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Whether this process may install packages (default: running as root). */
  readonly isRoot?: boolean;
  /** apt-get's output is appended here. */
  readonly logFile: string;
  /** Told before installing, e.g. "installing buildah skopeo with apt-get". */
  readonly onInstall?: (packages: readonly string[]) => void;
}

/**
 * Makes sure every tool is on PATH. Missing ones are installed with apt-get when running as root on a
 * system that has it (Debian/Ubuntu: `apt-get update && apt-get install -y …`); otherwise a
 * {@link MissingToolsError} says what to install. Resolves to the packages it installed.
 * @example await ensureTools({ logFile: ".portcullis/logs/apt.log" })
 */
export async function ensureTools(options: EnsureToolsOptions): Promise<string[]> {
  const env = options.env ?? process.env;
  const tools = options.tools ?? LOCAL_TOOLS;
  const missing = await missingTools(tools, env);
  if (missing.length === 0) return [];
  const commands = missing.map((tool) => tool.command);
  const packages = [...new Set(missing.map((tool) => tool.debianPackage))];
  const isRoot = options.isRoot ?? process.getuid?.() === 0;
  if (!isRoot) throw new MissingToolsError(commands, packages, "not running as root, so not installing them");
  if (!(await findCommand("apt-get", env)))
    throw new MissingToolsError(commands, packages, "no apt-get here, so not Debian/Ubuntu");
  options.onInstall?.(packages);
  try {
    await aptGet(["update", "-qq"], env, options.logFile);
    await aptGet(["install", "-y", "-qq", ...packages], env, options.logFile);
  } catch (error) {
    throw new MissingToolsError(commands, packages, (error as Error).message);
  }
  const still = await missingTools(tools, env);
  if (still.length > 0)
    throw new MissingToolsError(
      still.map((tool) => tool.command),
      packages,
      `apt-get installed ${packages.join(" ")} but they are still not on PATH (see ${options.logFile})`,
    );
  return packages;
}

async function missingTools(tools: readonly Tool[], env: EnsureToolsOptions["env"]): Promise<Tool[]> {
  const found = await Promise.all(tools.map((tool) => findCommand(tool.command, env)));
  return tools.filter((_, i) => !found[i]);
}

/** The full path of an executable found on `PATH`, or undefined. */
export async function findCommand(
  command: string,
  env: EnsureToolsOptions["env"] = process.env,
): Promise<string | undefined> {
  for (const dir of (env?.PATH ?? "").split(delimiter).filter(Boolean)) {
    const path = join(dir, command);
    if (
      await access(path, constants.X_OK).then(
        () => true,
        () => false,
      )
    )
      return path;
  }
  return undefined;
}

async function aptGet(args: string[], env: EnsureToolsOptions["env"], logFile: string): Promise<void> {
  const log = openSync(logFile, "a");
  try {
    const child = spawn("apt-get", args, {
      env: { ...env, DEBIAN_FRONTEND: "noninteractive" },
      stdio: ["ignore", log, log],
    });
    const [code] = (await once(child, "exit")) as [number | null];
    if (code !== 0) throw new Error(`apt-get ${args.join(" ")} exited with ${code} (see ${logFile})`);
  } finally {
    closeSync(log);
  }
}
