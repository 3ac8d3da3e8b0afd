import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { isBuiltin } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = new URL("../..", import.meta.url).pathname;
const COMMITTED = join(ROOT, "action/dist/index.mjs");

/** The action runs its committed bundle: it must be exactly what its sources build today. */
describe("the action's committed bundle", () => {
  let dir: string;
  let rebuilt: Buffer;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "portcullis-action-bundle-"));
    const outfile = join(dir, "index.mjs");
    await promisify(execFile)(process.execPath, ["scripts/bundle-action.mjs", "--outfile", outfile], {
      cwd: ROOT,
    });
    rebuilt = await readFile(outfile);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("is byte for byte what `node scripts/bundle-action.mjs` builds from the sources (else rebuild and commit it)", async () => {
    const committed = await readFile(COMMITTED);
    expect(
      committed.equals(rebuilt),
      "action/dist/index.mjs is stale: run node scripts/bundle-action.mjs",
    ).toBe(true);
  });

  it("is built the same twice over, and names no path of the machine that built it", async () => {
    const again = join(dir, "again.mjs");
    await promisify(execFile)(process.execPath, ["scripts/bundle-action.mjs", "--outfile", again], {
      cwd: ROOT,
    });
    expect((await readFile(again)).equals(rebuilt)).toBe(true);
    const text = rebuilt.toString("utf8");
    expect(text).not.toContain(ROOT);
    expect(text).not.toContain(tmpdir());
  });

  it("imports nothing but Node's built-in modules (nothing to install when the runner runs it)", () => {
    const text = rebuilt.toString("utf8");
    const specifiers = [
      ...text.matchAll(/^import\s[^;]*?from\s*"([^"]+)"/gm),
      ...text.matchAll(/\bimport\(\s*"([^"]+)"\s*\)/g),
      ...text.matchAll(/(?<!\[)\b(?:__)?require\(\s*"([^"]+)"\s*\)/g),
    ].map((match) => match[1] ?? "");
    // (A require in square brackets is the text of an SDK error message, not a call.)
    expect(specifiers.length).toBeGreaterThan(0);
    const notBuiltin = specifiers.filter((specifier) => !isBuiltin(specifier));
    expect(notBuiltin).toEqual([]);
  });
});
