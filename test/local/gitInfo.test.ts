import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { gitInfo } from "../../src/local/build/gitInfo.ts";

const run = promisify(execFile);
const ROOT = new URL("../..", import.meta.url).pathname;
const fallback = { ref: "refs/heads/main", source: "https://github.com/octo/shop" };

describe("gitInfo", () => {
  it("takes the repository's HEAD commit", async () => {
    const { stdout } = await run("git", ["rev-parse", "HEAD"], { cwd: ROOT });
    const info = await gitInfo({ cwd: ROOT, fallback });
    expect(info).toMatchObject({ commit: stdout.trim(), fromGit: true, source: fallback.source });
    expect(info.ref).toMatch(/^refs\//);
  });

  it("makes up a commit id outside git, so the build tag is still sha-<40 hex>", async () => {
    const dir = await mkdtemp(join(tmpdir(), "portcullis-nogit-"));
    try {
      const info = await gitInfo({ cwd: dir, fallback });
      expect(info.commit).toMatch(/^[0-9a-f]{40}$/);
      expect(info).toMatchObject({ ...fallback, fromGit: false });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
