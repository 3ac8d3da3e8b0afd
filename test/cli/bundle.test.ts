import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = join(import.meta.dirname, "../..");

/**
 * `npm ci` bundles the CLI and the bin runs that bundle, which has no TypeScript loader and lives in another
 * folder than the sources: what the sources find relative to themselves, it must find too.
 */
describe("the CLI bundle", () => {
  const outdir = join(root, "dist", `test-bundle-${process.pid}`);
  let state: string;

  beforeAll(async () => {
    await run(process.execPath, ["scripts/bundle-cli.mjs", "--outdir", outdir], { cwd: root });
    state = await mkdtemp(join(tmpdir(), "portcullis-bundle-"));
  });
  afterAll(async () => {
    await rm(outdir, { recursive: true, force: true });
    if (state) await rm(state, { recursive: true, force: true });
  });

  async function bundled(args: readonly string[]): Promise<{ stdout: string; code: number }> {
    const script = `const { main } = await import(${JSON.stringify(pathToFileURL(join(outdir, "main.mjs")).href)});
process.exitCode = await main(${JSON.stringify(args)});`;
    try {
      const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script], {
        cwd: root,
        env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
      });
      return { stdout, code: 0 };
    } catch (error) {
      const failed = error as { stdout: string; stderr: string; code: number };
      return { stdout: `${failed.stdout}\n${failed.stderr}`, code: failed.code };
    }
  }

  it("lists every command without a commands/ folder beside it", async () => {
    const { stdout, code } = await bundled(["--help"]);
    expect(code).toBe(0);
    for (const name of ["copy", "event", "gate", "local", "promote", "trust-policy", "version"])
      expect(stdout).toContain(`  ${name}`);
  });

  it("finds package.json from the bundle's folder", async () => {
    expect((await bundled(["version"])).stdout).toMatch(/^portcullis \d+\.\d+\.\d+/);
  });

  it("loads the TypeScript configuration and the shipped build script and scenarios: a local run rejects the failing scenario", async () => {
    const { stdout, code } = await bundled(["local", "--scenario", "fail", "--state", state]);
    expect(stdout).toContain("FAILED");
    expect(code).toBe(0);
  });
});
