import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { stopKeptRegistries } from "../../src/local/services/LocalServices.ts";
import { stateLayout } from "../../src/local/services/StateLayout.ts";
import { skopeoDigest } from "./harness.ts";

const run = promisify(execFile);
const ROOT = new URL("../..", import.meta.url).pathname;
const BIN = join(ROOT, "bin/portcullis.js");
const REPOSITORY = "portcullis/example-app";

/**
 * `npm start -- --scenario rollback` as users run it: two releases promoted in turn, `latest` rolled back to
 * the first in all three regions. The registries are kept (--keep) and read back with skopeo, not our client.
 */
describe("npm start -- --scenario rollback (e2e)", () => {
  let dir: string | undefined;
  afterAll(async () => {
    if (dir === undefined) return;
    await stopKeptRegistries(stateLayout(dir, "state"));
    await rm(dir, { recursive: true, force: true });
  });

  it("rolls latest back to the first release in every region, then shows status and history", async () => {
    dir = await mkdtemp(join(tmpdir(), "portcullis-rollback-"));
    const { stdout } = await run(
      "node",
      [BIN, "local", "--scenario", "rollback", "--state", join(dir, "state"), "--keep"],
      { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 },
    );
    expect(stdout).toMatch(/Promoted: portcullis\/example-app as 1\.0\.0, latest/);
    expect(stdout).toMatch(/Promoted: portcullis\/example-app as 1\.1\.0, latest/);
    const to = /Rolled back portcullis\/example-app latest to (sha256:[0-9a-f]{64})/.exec(stdout)?.[1];
    expect(to).toBeDefined();
    expect(stdout).toMatch(/⏪ Rolled back: portcullis\/example-app latest/);
    expect(stdout).toContain(`$ portcullis status ${REPOSITORY}`);
    expect(stdout).toMatch(/rollback by portcullis local: local scenario: v1\.1\.0 misbehaves/);
    expect(stdout).toMatch(/promotion by event \[rolled back off /);
    expect(stdout).toContain("Result     OK");

    const hosts = [
      ...stdout.matchAll(/^ {2}(\S+)\s+skopeo list-tags --tls-verify=false docker:\/\/([^/]+)\//gm),
    ];
    expect(hosts.map((m) => m[1])).toEqual(["us-east-1", "eu-west-1", "ap-southeast-2"]);
    for (const [, region, host] of hosts) {
      const latest = await skopeoDigest(`${host}/${REPOSITORY}:latest`);
      const v100 = await skopeoDigest(`${host}/${REPOSITORY}:1.0.0`);
      const v110 = await skopeoDigest(`${host}/${REPOSITORY}:1.1.0`);
      expect({ region, latest, v100 }).toEqual({ region, latest: to, v100: to });
      expect(v110).not.toBe(to);
    }
  }, 240_000);
});
