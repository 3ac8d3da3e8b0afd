import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MissingToolsError } from "../../src/local/errors.ts";
import { ensureTools, findCommand } from "../../src/local/tools/ensureTools.ts";

const tools = [
  { command: "portcullis-test-registry", debianPackage: "pkg-registry" },
  { command: "portcullis-test-builder", debianPackage: "pkg-builder" },
];

describe("ensureTools", () => {
  let dir: string;
  let bin: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "portcullis-tools-"));
    bin = join(dir, "bin");
    await writeFile(join(dir, ".keep"), "");
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("does nothing when every tool is on PATH", async () => {
    const installed = await ensureTools({ env: { PATH: process.env.PATH }, logFile: join(dir, "apt.log") });
    expect(installed).toEqual([]);
  });

  it("says which Debian packages to install when not running as root", async () => {
    const error = await ensureTools({
      tools,
      env: { PATH: dir },
      isRoot: false,
      logFile: join(dir, "apt.log"),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MissingToolsError);
    expect((error as MissingToolsError).tools).toEqual([
      "portcullis-test-registry",
      "portcullis-test-builder",
    ]);
    expect((error as Error).message).toContain("not running as root");
    expect((error as Error).message).toContain(
      "sudo apt-get update && sudo apt-get install -y pkg-registry pkg-builder",
    );
  });

  it("refuses to guess on a system without apt-get", async () => {
    const error = await ensureTools({
      tools,
      env: { PATH: dir },
      isRoot: true,
      logFile: join(dir, "apt.log"),
    }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/no apt-get here, so not Debian\/Ubuntu/);
  });

  it("runs apt-get update and install -y as root, then finds the tools", async () => {
    const fake = join(dir, "fake");
    await rm(fake, { recursive: true, force: true });
    await import("node:fs/promises").then((fs) => fs.mkdir(fake, { recursive: true }));
    // A stand-in apt-get: records its arguments, and "installs" by creating the commands in bin/.
    await writeFile(
      join(fake, "apt-get"),
      `#!/bin/sh\necho "$DEBIAN_FRONTEND $*" >> "${dir}/calls"\nif [ "$1" = install ]; then mkdir -p "${bin}"; for c in portcullis-test-registry portcullis-test-builder; do printf '#!/bin/sh\\n' > "${bin}/$c"; chmod +x "${bin}/$c"; done; fi\n`,
    );
    await chmod(join(fake, "apt-get"), 0o755);
    const announced: string[][] = [];
    const installed = await ensureTools({
      tools,
      env: { PATH: `${fake}:${bin}:/usr/bin:/bin` },
      isRoot: true,
      logFile: join(dir, "apt.log"),
      onInstall: (packages) => announced.push([...packages]),
    });
    expect(installed).toEqual(["pkg-registry", "pkg-builder"]);
    expect(announced).toEqual([["pkg-registry", "pkg-builder"]]);
    expect((await readFile(join(dir, "calls"), "utf8")).trim().split("\n")).toEqual([
      "noninteractive update -qq",
      "noninteractive install -y -qq pkg-registry pkg-builder",
    ]);
    expect(await findCommand("portcullis-test-builder", { PATH: bin })).toBe(
      join(bin, "portcullis-test-builder"),
    );
  });
});
