import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.ts";
import { captureIo } from "../support/captureIo.ts";

describe("portcullis main", () => {
  it("lists the commands on --help and exits 0", async () => {
    const io = captureIo();
    expect(await main(["--help"], io)).toBe(0);
    expect(io.out()).toMatch(/version\s+Print the Portcullis version/);
  });

  it("refuses an unknown command with exit 2 and names it", async () => {
    const io = captureIo();
    expect(await main(["frobnicate"], io)).toBe(2);
    expect(io.err()).toContain('unknown command "frobnicate"');
  });

  it("refuses a command name that looks like a path", async () => {
    const io = captureIo();
    expect(await main(["../main"], io)).toBe(2);
  });

  it("runs from the package bin with no build step", async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ["bin/portcullis.js", "version"]);
    expect(stdout).toMatch(/^portcullis \d+\.\d+\.\d+/);
  });
});
