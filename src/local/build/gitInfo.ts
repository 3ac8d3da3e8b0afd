import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";

const run = promisify(execFile);

/** What the build records about the commit it built (OCI annotations and labels). */
export interface GitInfo {
  /** 40 lowercase hex characters. */
  readonly commit: string;
  /** e.g. `refs/heads/main`. */
  readonly ref: string;
  /** Repository URL, e.g. `https://github.com/OWNER/REPO`. */
  readonly source: string;
  /** False when there was no git repository and the commit was made up. */
  readonly fromGit: boolean;
}

/** Options for {@link gitInfo}. */
export interface GitInfoOptions {
  readonly cwd: string;
  /** Used when git cannot tell (no repository, detached HEAD, no remote). */
  readonly fallback: { readonly ref: string; readonly source: string };
}

/**
 * The HEAD commit and branch of the repository at `cwd`, or a synthetic random commit id when there is
 * none (e.g. a tarball): the build tag is `sha-<commit>` either way.
 * @example await gitInfo({ cwd, fallback: { ref: "refs/heads/main", source: "https://github.com/o/r" } })
 */
export async function gitInfo(options: GitInfoOptions): Promise<GitInfo> {
  const commit = await git(options.cwd, ["rev-parse", "--verify", "HEAD"]);
  if (!commit || !/^[0-9a-f]{40}$/.test(commit))
    return { ...options.fallback, commit: randomBytes(20).toString("hex"), fromGit: false };
  const ref = (await git(options.cwd, ["symbolic-ref", "-q", "HEAD"])) || options.fallback.ref;
  return { commit, ref, source: options.fallback.source, fromGit: true };
}

async function git(cwd: string, args: string[]): Promise<string | undefined> {
  try {
    const { stdout } = await run("git", args, { cwd });
    return stdout.trim();
  } catch {
    return undefined;
  }
}
