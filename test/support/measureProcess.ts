import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** How long a process ran, the CPU it used and how much memory it held at most. */
export interface ProcessSample {
  readonly seconds: number;
  /** User + system CPU seconds (the process and the children it waited for). */
  readonly cpuSeconds: number;
  readonly peakRssMb: number;
}

const GNU_TIME = "/usr/bin/time";

/**
 * Runs a command to completion under GNU time (`/usr/bin/time`, Debian's `time` package) and measures it:
 * wall seconds, user+sys CPU seconds and peak RSS (getrusage of the exited process, so nothing between
 * samples is missed). Throws with stderr if it exits non-zero.
 * @example const { seconds, cpuSeconds, peakRssMb } = await measureProcess(["skopeo", "--version"])
 */
export async function measureProcess(argv: string[]): Promise<ProcessSample> {
  if (!existsSync(GNU_TIME))
    throw new Error(`${GNU_TIME} is missing: install GNU time (apt-get install time)`);
  const dir = await mkdtemp(join(tmpdir(), "portcullis-measure-"));
  const out = join(dir, "time");
  try {
    const started = performance.now();
    const child = spawn(GNU_TIME, ["-f", "%U %S %M", "-o", out, ...argv], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    const seconds = (performance.now() - started) / 1000;
    if (code !== 0) throw new Error(`${argv.join(" ")} exited ${code}:\n${stderr}`);
    const [user, sys, maxRssKb] =
      (await readFile(out, "utf8")).trim().split("\n").at(-1)?.split(" ").map(Number) ?? [];
    return { seconds, cpuSeconds: (user ?? 0) + (sys ?? 0), peakRssMb: (maxRssKb ?? 0) / 1024 };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The median of some numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}
