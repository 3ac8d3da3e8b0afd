import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";

/** How long a process ran and how much memory it held at most. */
export interface ProcessSample {
  readonly seconds: number;
  readonly peakRssMb: number;
}

/**
 * Runs a command to completion and measures it: wall seconds and peak RSS, read from /proc/PID/status
 * (VmHWM, a high-water mark, polled every 20 ms). Linux only. Throws with stderr if it exits non-zero.
 * @example const { seconds, peakRssMb } = await measureProcess(["skopeo", "--version"])
 */
export async function measureProcess(argv: string[]): Promise<ProcessSample> {
  const [file, ...args] = argv;
  const started = performance.now();
  const child = spawn(file ?? "false", args, { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  let peak = 0;
  const poll = setInterval(async () => {
    peak = Math.max(peak, await vmHwmKb(child.pid));
  }, 20);
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  const seconds = (performance.now() - started) / 1000;
  clearInterval(poll);
  if (code !== 0) throw new Error(`${argv.join(" ")} exited ${code}:\n${stderr}`);
  return { seconds, peakRssMb: peak / 1024 };
}

async function vmHwmKb(pid: number | undefined): Promise<number> {
  try {
    const status = await readFile(`/proc/${pid}/status`, "utf8");
    return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** The median of some numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}
