import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StateLockedError } from "../../src/local/errors.ts";
import { StateLock } from "../../src/local/services/StateLock.ts";

/** The pid of a process that has exited (a run killed with SIGKILL leaves such a lock). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]);
  return Number(child.stdout.toString());
}

describe("StateLock", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "portcullis-lock-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("writes this process's pid, refuses a second taker naming it, and is released", async () => {
    const file = join(dir, "lock-live");
    const lock = await StateLock.acquire({ file, folder: ".portcullis" });
    expect(await readFile(file, "utf8")).toBe(`${process.pid}\n`);
    const second = StateLock.acquire({ file, folder: ".portcullis", pid: process.pid + 1 });
    await expect(second).rejects.toThrow(StateLockedError);
    await expect(second).rejects.toThrow(`another run (pid ${process.pid}) is using .portcullis`);
    await lock.release();
    await expect(readFile(file, "utf8")).rejects.toThrow(/ENOENT/);
  });

  it("takes over a lock whose pid is no longer alive", async () => {
    const file = join(dir, "lock-stale");
    await writeFile(file, `${deadPid()}\n`);
    const lock = await StateLock.acquire({ file, folder: ".portcullis" });
    expect(await readFile(file, "utf8")).toBe(`${process.pid}\n`);
    await lock.release();
  });

  it("does not remove a lock another run has taken since", async () => {
    const file = join(dir, "lock-taken");
    const lock = await StateLock.acquire({ file, folder: ".portcullis" });
    await writeFile(file, "999999\n");
    await lock.release();
    expect(await readFile(file, "utf8")).toBe("999999\n");
  });
});
