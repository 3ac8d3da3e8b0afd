import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, posix, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** Where code, tests, scripts and docs live: none of them may read or cite a file the repository lacks. */
const CHECKED =
  /^(test|src|scripts|bench|stacks|functions|examples|buildspec|bin|types|\.ci|\.github)\/|^[^/]+$/;
const BINARY = /\.(png|jpe?g|gif|ico|tgz|gz|zip|wasm)$|^package-lock\.json$/;

/** Folders beside the repository on one machine, and that machine's absolute checkout paths. */
const OUTSIDE = [/\.\.\/shared\b/, /(^|[^\w.-])\/work\//, /\bPORTCULLIS_SHARED\b/];
/** A run of `..` path segments, e.g. `../..` or `../../../`. */
const CLIMB = /(?<![\w.])\.\.(?:\/\.\.)*(?![\w.])/g;

/** The tracked files to check: what a clone from GitHub has, nothing that is ignored or untracked. */
function trackedFiles(): string[] {
  const out = execFileSync("git", ["ls-files", "-z"], { cwd: REPO_ROOT, encoding: "utf8" });
  return out.split("\0").filter((file) => file !== "" && CHECKED.test(file) && !BINARY.test(file));
}

/**
 * Every reference in `text` (the file at `file`) that leaves the repository: a path outside it, or a run of `..`
 * that climbs above its root. A file's own directory depth bounds the climb; one more is allowed on a line that
 * resolves from the file itself (`import.meta.url`), whose first `..` drops the file name.
 */
function outsideReferences(file: string, text: string): string[] {
  const depth = posix.dirname(file) === "." ? 0 : posix.dirname(file).split("/").length;
  const found: string[] = [];
  text.split("\n").forEach((line, index) => {
    const where = `${file}:${index + 1}: ${line.trim()}`;
    if (OUTSIDE.some((pattern) => pattern.test(line))) found.push(where);
    const allowed = depth + (/import\.meta\.(url|dirname)|__dirname|__filename/.test(line) ? 1 : 0);
    for (const climb of line.matchAll(CLIMB)) {
      if (climb[0].split("/").length > allowed) found.push(where);
    }
  });
  return [...new Set(found)];
}

describe("the repository stands alone", () => {
  it("finds what it must (so the check below cannot pass by seeing nothing)", () => {
    expect(
      outsideReferences("test/events/x.ts", 'readFileSync("/work/shared/aws-events/a.json")'),
    ).toHaveLength(1);
    expect(outsideReferences("test/events/x.ts", 'resolve(ROOT, "../shared")')).toHaveLength(1);
    expect(outsideReferences("test/events/x.ts", 'import { a } from "../../../other/a.ts";')).toHaveLength(1);
    expect(outsideReferences("README.md", "see [notes](../notes.md)")).toHaveLength(1);
    expect(outsideReferences("test/events/x.ts", 'import { a } from "../../src/a.ts";')).toEqual([]);
    expect(
      outsideReferences("test/events/x.ts", 'resolve(fileURLToPath(import.meta.url), "../../..")'),
    ).toEqual([]);
    expect(trackedFiles()).toContain("test/repository/standsAlone.test.ts");
  });

  it("no tracked code, test, script, bench or doc reads or cites a path outside the repository", () => {
    const self = "test/repository/standsAlone.test.ts";
    const offending = trackedFiles()
      .filter((file) => file !== self)
      .flatMap((file) => outsideReferences(file, readFileSync(resolve(REPO_ROOT, file), "utf8")));
    expect(offending).toEqual([]);
  });
});
