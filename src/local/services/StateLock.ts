import { readFileSync, rmSync } from "node:fs";
import { open, readFile, rm } from "node:fs/promises";
import { StateLockedError } from "../errors.ts";

/** Options for {@link StateLock.acquire}. */
export interface StateLockOptions {
  /** The lock file, inside the state folder. */
  readonly file: string;
  /** How the folder is named in the message (`.portcullis`). */
  readonly folder: string;
  /** The pid written into the lock (default: this process). */
  readonly pid?: number;
}

/**
 * One run per state folder: a lock file holding the owner's pid, created exclusively. A lock whose pid is no
 * longer alive (a run killed with SIGKILL) is taken over; a live one refuses with {@link StateLockedError}.
 * Released by {@link release} and, should the process exit before, on exit.
 * @example const lock = await StateLock.acquire({ file: layout.lockFile, folder: ".portcullis" }); … await lock.release();
 */
export class StateLock {
  readonly #onExit: () => void;

  private constructor(
    readonly file: string,
    readonly pid: number,
  ) {
    this.#onExit = () => releaseSync(file, pid);
    process.once("exit", this.#onExit);
  }

  /** Takes the lock, taking over a stale one; throws StateLockedError while another live run holds it. */
  static async acquire(options: StateLockOptions): Promise<StateLock> {
    const pid = options.pid ?? process.pid;
    for (let attempt = 0; attempt < 3; attempt++) {
      const created = await open(options.file, "wx").then(
        async (handle) => {
          await handle.writeFile(`${pid}\n`);
          await handle.close();
          return true;
        },
        (error: NodeJS.ErrnoException) => {
          if (error.code === "EEXIST") return false;
          throw error;
        },
      );
      if (created) return new StateLock(options.file, pid);
      const holder = await lockHolder(options.file);
      if (holder !== undefined && isAlive(holder)) throw new StateLockedError(holder, options.folder);
      // Stale (dead pid) or unreadable: remove it and try again; `wx` decides between concurrent takers.
      if ((await lockHolder(options.file)) === holder) await rm(options.file, { force: true });
    }
    throw new StateLockedError((await lockHolder(options.file)) ?? 0, options.folder);
  }

  /** Removes the lock if it is still this run's. */
  async release(): Promise<void> {
    process.off("exit", this.#onExit);
    releaseSync(this.file, this.pid);
  }
}

async function lockHolder(file: string): Promise<number | undefined> {
  const text = await readFile(file, "utf8").catch(() => "");
  const pid = Number.parseInt(text.trim(), 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

function releaseSync(file: string, pid: number): void {
  const text = (() => {
    try {
      return readFileSync(file, "utf8");
    } catch {
      return "";
    }
  })();
  if (Number.parseInt(text.trim(), 10) === pid) rmSync(file, { force: true });
}

/** True when a process with this pid exists (EPERM: it exists, owned by someone else). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
