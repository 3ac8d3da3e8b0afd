import { type ChildProcess, execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { access, chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = new URL("../..", import.meta.url).pathname;
const BIN = join(ROOT, "bin/portcullis.js");
const CONFIG = join(ROOT, "portcullis.config.ts");

/**
 * Stands in for docker-registry to hold a run in "start services": it records its pid when spawned and never
 * answers, so the test interrupts the start at a known point (every registry spawned, none ready) rather
 * than after a guessed delay. Its command line stays `… serve CONFIG`, like the real registry's.
 */
const FAKE_REGISTRY = `#!/bin/sh
echo $$ >> "$PORTCULLIS_TEST_SPAWNED"
while :; do sleep 1; done
`;

/** Stands in for buildah to hold a run in "build" (registries up and ready) until it is interrupted. */
const FAKE_BUILDAH = `#!/bin/sh
echo $$ >> "$PORTCULLIS_TEST_BUILDING"
while :; do sleep 1; done
`;

interface LocalRun {
  readonly child: ChildProcess;
  readonly stdout: () => string;
  readonly stderr: () => string;
  readonly exited: Promise<number | null>;
}

/** `portcullis local` through the bin, in `cwd`, as a user runs it. */
function startLocal(args: readonly string[], cwd: string, env: Record<string, string> = {}): LocalRun {
  const child = spawn(process.execPath, [BIN, "local", "--config", CONFIG, ...args], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = once(child, "exit").then(([code]) => code as number | null);
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** Polls a condition (the moment to act on), failing with `what` if it never comes. */
async function waitFor(what: string, condition: () => Promise<boolean> | boolean): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

async function pidsIn(file: string): Promise<number[]> {
  const text = await readFile(file, "utf8").catch(() => "");
  return text.split("\n").filter(Boolean).map(Number);
}

/** True while the process runs (a zombie, killed but not yet reaped by its new parent, does not count). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

/** Processes serving a registry configuration under `folder` (real registries and the stand-in alike). */
async function registriesServing(folder: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const args = (await readFile(`/proc/${entry}/cmdline`, "utf8").catch(() => "")).split("\0");
    if (
      args.includes("serve") &&
      args.some((arg) => arg.startsWith(`${folder}/`) && arg.endsWith("config.yml"))
    )
      pids.push(Number(entry));
  }
  return pids;
}

function expectNoStackTrace(stderr: string): void {
  expect(stderr).not.toMatch(/^\s+at /m);
  expect(stderr).not.toMatch(/Database is closed/);
}

describe("portcullis local, interrupted", () => {
  let dir: string;
  let fakePath: string;
  let fakeBuildPath: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "portcullis-interrupt-"));
    const bin = join(dir, "fake-bin");
    await mkdir(bin);
    await writeFile(join(bin, "docker-registry"), FAKE_REGISTRY);
    await chmod(join(bin, "docker-registry"), 0o755);
    fakePath = `${bin}:${process.env.PATH ?? ""}`;
    const buildBin = join(dir, "fake-build-bin");
    await mkdir(buildBin);
    await writeFile(join(buildBin, "buildah"), FAKE_BUILDAH);
    await chmod(join(buildBin, "buildah"), 0o755);
    fakeBuildPath = `${buildBin}:${process.env.PATH ?? ""}`;
  });

  afterAll(async () => {
    // Only ever needed when a test failed: what it left running.
    for (const pid of await registriesServing(dir)) process.kill(-pid, "SIGKILL");
    await rm(dir, { recursive: true, force: true });
  });

  /** A run held in "start services", every registry spawned; resolves to their pids. */
  async function heldInStart(name: string, args: readonly string[] = ["--state", name]) {
    const spawned = join(dir, `${name}-${Math.random().toString(36).slice(2)}.pids`);
    const run = startLocal(args, dir, { PATH: fakePath, PORTCULLIS_TEST_SPAWNED: spawned });
    await waitFor("three registries spawned", async () => (await pidsIn(spawned)).length === 3);
    return { run, pids: await pidsIn(spawned) };
  }

  it("Ctrl-C while the services start stops every registry spawned so far, exits 130, no stack trace", async () => {
    const { run, pids } = await heldInStart("starting");
    expect(pids.filter(alive)).toHaveLength(3);
    run.child.kill("SIGINT");
    expect(await run.exited).toBe(130);
    expect(run.stderr()).toMatch(
      /interrupted during the services' start; the services it started are stopped/,
    );
    expectNoStackTrace(run.stderr());
    expect(pids.filter(alive)).toEqual([]);
    expect(await registriesServing(join(dir, "starting"))).toEqual([]);
    await expect(access(join(dir, "starting", "lock"))).rejects.toThrow(/ENOENT/);
  });

  it("records each registry as it is spawned: a run killed outright is cleaned up by --clean, which takes over its lock", async () => {
    const first = await heldInStart("killed");
    first.run.child.kill("SIGKILL");
    await first.run.exited;
    expect(first.pids.filter(alive)).toHaveLength(3);
    const recorded = JSON.parse(await readFile(join(dir, "killed", "services.json"), "utf8")) as {
      registries: { pid: number }[];
    };
    expect(recorded.registries.map((r) => r.pid).sort()).toEqual([...first.pids].sort());
    const second = await heldInStart("killed", ["--state", "killed", "--clean"]);
    expect(first.pids.filter(alive)).toEqual([]);
    second.run.child.kill("SIGINT");
    expect(await second.run.exited).toBe(130);
    expect(second.pids.filter(alive)).toEqual([]);
  });

  it("refuses a second run in the same state folder, naming the first one's pid, and leaves the first alone", async () => {
    const building = join(dir, "building.pids");
    const run = startLocal([], dir, { PATH: fakeBuildPath, PORTCULLIS_TEST_BUILDING: building });
    await waitFor("the build to start", async () => (await pidsIn(building)).length > 0);
    const state = join(dir, ".portcullis");
    const first = { run, pids: await registriesServing(state) };
    expect(first.pids).toHaveLength(3);
    const second = await promisify(execFile)(process.execPath, [BIN, "local", "--config", CONFIG], {
      cwd: dir,
    }).then(
      () => ({ code: 0, stderr: "" }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(`another run (pid ${first.run.child.pid}) is using .portcullis`);
    expect(first.pids.filter(alive)).toHaveLength(3);
    first.run.child.kill("SIGINT");
    expect(await first.run.exited).toBe(130);
    expect(first.run.stderr()).toMatch(/interrupted during the build/);
    expect(await registriesServing(state)).toEqual([]);
    expect((await pidsIn(building)).filter(alive)).toEqual([]);
  });

  it("Ctrl-C while the handlers run stops once they settle, stops the registries, exits 130, no stack trace", async () => {
    const state = join(dir, "handlers");
    const run = startLocal(["--state", state], dir);
    // The scan stages print as the events go onto the bus: the handlers are running from here on.
    await waitFor("the pipeline's first events", () => run.stdout().includes("scan linux/arm64"));
    expect(await registriesServing(state)).toHaveLength(3);
    run.child.kill("SIGINT");
    expect(await run.exited).toBe(130);
    expect(run.stderr()).toMatch(/interrupted during the pipeline; the services it started are stopped/);
    expectNoStackTrace(run.stderr());
    expect(await registriesServing(state)).toEqual([]);
    await expect(access(join(state, "lock"))).rejects.toThrow(/ENOENT/);
  });
});
