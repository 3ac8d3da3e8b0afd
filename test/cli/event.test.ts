import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEventCommand } from "../../src/cli/commands/event.ts";
import { main } from "../../src/cli/main.ts";
import { AWS_EVENTS_DIR, FIXTURES_DIR } from "../events/awsSamples.ts";
import { captureIo } from "../support/captureIo.ts";

const VALID = join(FIXTURES_DIR, "valid/ecr-image-scan.nested-repository-multi-tag.json");
const INVALID = join(FIXTURES_DIR, "invalid/ecr-image-scan.bad-repository-and-tag.json");

describe("portcullis event (in process)", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "portcullis-event-"));
    await writeFile(join(dir, "broken.json"), '{"source": "aws.ecr",');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("prints the normalized event as pretty JSON and exits 0", async () => {
    const io = captureIo();
    expect(await main(["event", VALID], io)).toBe(0);
    const printed = JSON.parse(io.out());
    expect(printed).toMatchObject({
      kind: "scan-completed",
      repository: "platform/team/api",
      scanner: "basic",
    });
    expect(io.out()).toContain('\n  "kind": "scan-completed"');
    expect(io.err()).toBe("");
  });

  it("resolves a relative FILE against the working directory", async () => {
    const io = captureIo({ cwd: FIXTURES_DIR });
    expect(await main(["event", "valid/portcullis.release-decided.json"], io)).toBe(0);
    expect(JSON.parse(io.out())).toMatchObject({ kind: "portcullis", detailType: "Release Decided" });
  });

  it("prints every issue, one line each, and exits 2", async () => {
    const io = captureIo();
    expect(await main(["event", INVALID], io)).toBe(2);
    expect(io.out()).toBe("");
    expect(io.err().trimEnd().split("\n")).toEqual([
      `portcullis event: ${INVALID} is not a valid event:`,
      `detail.repository-name: "Platform/API" must be lowercase path components of [a-z0-9] joined by '.', '_', '__' or '-', separated by '/'`,
      `detail.image-tags[1]: "-bad" must match [a-zA-Z0-9_][a-zA-Z0-9._-]* (no leading '.' or '-', no '/', ':' or spaces)`,
    ]);
  });

  it("refuses AWS's published sample with its placeholder digest, naming field and value", async () => {
    const io = captureIo();
    expect(await main(["event", join(AWS_EVENTS_DIR, "ecr-image-scan.basic.json")], io)).toBe(2);
    expect(io.err()).toContain(
      'detail.image-digest: "sha256:7f5b2640fe6fb4f46592dfd3410c4a79dac4f89e4782432e0378abcd1234" must have 64 hex characters',
    );
  });

  it("exits 2 naming the file when it cannot be read", async () => {
    const io = captureIo({ cwd: dir });
    expect(await main(["event", "missing.json"], io)).toBe(2);
    expect(io.err()).toBe("portcullis event: cannot read missing.json: no such file\n");
  });

  it("exits 2 naming the file when it is a directory", async () => {
    const io = captureIo();
    expect(await main(["event", dir], io)).toBe(2);
    expect(io.err()).toBe(`portcullis event: cannot read ${dir}: it is a directory\n`);
  });

  it("exits 2 naming the file when it is not JSON", async () => {
    const io = captureIo({ cwd: dir });
    expect(await main(["event", "broken.json"], io)).toBe(2);
    expect(io.err()).toMatch(/^portcullis event: broken\.json is not valid JSON: /);
  });

  it("reads standard input for -", async () => {
    const json = JSON.stringify({ hello: "world" });
    const io = captureIo();
    expect(await createEventCommand({ readStdin: async () => json }).run(["-"], io)).toBe(2);
    expect(io.err()).toContain("portcullis event: (stdin) is not a valid event:\nid: (missing) is required");
  });

  it.each([[[]], [["a.json", "b.json"]], [["--json", "a.json"]]])(
    "refuses arguments %j with the usage and exit 2",
    async (args) => {
      const io = captureIo();
      expect(await main(["event", ...args], io)).toBe(2);
      expect(io.err()).toContain("Usage: portcullis event FILE");
    },
  );

  it("is listed in portcullis --help", async () => {
    const io = captureIo();
    await main(["--help"], io);
    expect(io.out()).toMatch(/event\s+Validate an EventBridge event and print it normalized/);
  });
});

describe("portcullis event (through bin/portcullis.js)", () => {
  const run = promisify(execFile);

  it("prints the normalized event and exits 0", async () => {
    const { stdout } = await run(process.execPath, ["bin/portcullis.js", "event", VALID]);
    expect(JSON.parse(stdout)).toMatchObject({
      kind: "scan-completed",
      tags: expect.arrayContaining(["1.2.3"]),
    });
  });

  it("exits 2 with the issues on stderr", async () => {
    const failure = await run(process.execPath, ["bin/portcullis.js", "event", INVALID]).catch(
      (error) => error,
    );
    expect(failure.code).toBe(2);
    expect(failure.stderr).toContain('detail.image-tags[1]: "-bad"');
  });

  it("reads - from the real standard input", async () => {
    const event = readFileSync(VALID, "utf8");
    const output = await new Promise<string>((resolve, reject) => {
      const child = execFile(process.execPath, ["bin/portcullis.js", "event", "-"], (error, stdout) =>
        error ? reject(error) : resolve(stdout),
      );
      child.stdin?.end(event);
    });
    expect(JSON.parse(output)).toMatchObject({ kind: "scan-completed" });
  });
});
