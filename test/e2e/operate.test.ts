import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stopKeptRegistries } from "../../src/local/services/LocalServices.ts";
import { stateLayout } from "../../src/local/services/StateLayout.ts";
import { skopeoDigest } from "./harness.ts";

const run = promisify(execFile);
const ROOT = new URL("../..", import.meta.url).pathname;
const BIN = join(ROOT, "bin/portcullis.js");
const REPOSITORY = "portcullis/example-app";

/** Runs `npm start -- --scenario NAME --keep` as users do; returns its output and each region's registry. */
async function runKept(dir: string, scenario: string) {
  const { stdout } = await run(
    "node",
    [BIN, "local", "--scenario", scenario, "--state", join(dir, scenario), "--keep"],
    { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 },
  );
  const hosts = [
    ...stdout.matchAll(/^ {2}(\S+)\s+skopeo list-tags --tls-verify=false docker:\/\/([^/]+)\//gm),
  ];
  return { stdout, hosts: hosts.map(([, region, host]) => ({ region, host })) };
}

/** `portcullis COMMAND … --local --state DIR --json` over what a run left, as users run it after `npm start`. */
async function readLocal(state: string, ...args: string[]): Promise<unknown> {
  const { stdout } = await run("node", [BIN, ...args, "--local", "--state", state, "--json"], { cwd: ROOT });
  return JSON.parse(stdout);
}

/** `portcullis ARGS…` as users run it; a non-zero exit is returned, not thrown. */
async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run("node", [BIN, ...args], { cwd: ROOT });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
  }
}

/** Each region's `latest`, read back with skopeo. */
async function latestEverywhere(hosts: readonly { region?: string; host?: string }[]) {
  const latest: Record<string, string> = {};
  for (const { region, host } of hosts)
    latest[region ?? "?"] = await skopeoDigest(`${host}/${REPOSITORY}:latest`);
  return latest;
}

/** In every region, read back with skopeo: latest and 1.0.0 on one digest, 1.1.0 on another. */
async function expectLatestOnFirstRelease(hosts: readonly { region?: string; host?: string }[]) {
  expect(hosts.map((h) => h.region)).toEqual(["us-east-1", "eu-west-1", "ap-southeast-2"]);
  const digests = new Set<string>();
  for (const { region, host } of hosts) {
    const latest = await skopeoDigest(`${host}/${REPOSITORY}:latest`);
    const v100 = await skopeoDigest(`${host}/${REPOSITORY}:1.0.0`);
    const v110 = await skopeoDigest(`${host}/${REPOSITORY}:1.1.0`);
    expect({ region, latest }).toEqual({ region, latest: v100 });
    expect(v110).not.toBe(latest);
    digests.add(latest);
  }
  expect(digests.size).toBe(1);
  return [...digests][0];
}

/**
 * The scenarios that promote two releases and then operate on them, as users run them: the registries are
 * kept (--keep) and read back with skopeo, not with our own client.
 */
describe("npm start -- --scenario rollback | demote (e2e)", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "portcullis-operate-"));
  });
  afterAll(async () => {
    for (const scenario of ["rollback", "demote"]) await stopKeptRegistries(stateLayout(dir, scenario));
    await rm(dir, { recursive: true, force: true });
  });

  it("rollback: latest goes back to the first release in every region; status and history show it", async () => {
    const { stdout, hosts } = await runKept(dir, "rollback");
    expect(stdout).toMatch(/Promoted: portcullis\/example-app as 1\.0\.0, latest/);
    expect(stdout).toMatch(/Promoted: portcullis\/example-app as 1\.1\.0, latest/);
    const to = /Rolled back portcullis\/example-app latest to (sha256:[0-9a-f]{64})/.exec(stdout)?.[1];
    expect(stdout).toMatch(/⏪ Rolled back: portcullis\/example-app latest/);
    expect(stdout).toMatch(/Check run of the rolled-back-to commit \(.*\): Rolled back here: latest/);
    expect(stdout).toContain(`$ portcullis status ${REPOSITORY}`);
    expect(stdout).toMatch(/rollback by portcullis local: local scenario: v1\.1\.0 misbehaves/);
    expect(stdout).toMatch(/promotion by event \[rolled back off /);
    expect(stdout).toContain("Result     OK");
    expect(await expectLatestOnFirstRelease(hosts)).toBe(to);

    // After the run: the state table persisted in the state folder, read by status/history --local.
    const state = join(dir, "rollback");
    const status = (await readLocal(state, "status", REPOSITORY)) as {
      digest: string;
      decision: string | null;
      promotedTags: string[];
      tagsNow: string[];
      rolledBackOff: { tag: string }[];
    }[];
    expect(status).toHaveLength(2);
    const first = status.find((row) => row.digest === to);
    const second = status.find((row) => row.digest !== to);
    if (!first || !second) throw new Error(`status shows no candidate ${to}: ${JSON.stringify(status)}`);
    expect(first.decision).toBe("passed");
    expect(first.tagsNow).toContain("latest");
    expect(second.promotedTags).toEqual(expect.arrayContaining(["1.1.0", "latest"]));
    expect(second.tagsNow).not.toContain("latest");
    expect(second.rolledBackOff.map((move) => move.tag)).toEqual(["latest"]);
    const history = (await readLocal(state, "history", REPOSITORY, "latest")) as {
      moves: { digest: string; cause: string; rolledBackAt: string | null }[];
      regions: Record<string, string | null>;
    };
    expect(history.moves.map((move) => [move.cause, move.digest])).toEqual([
      ["rollback", to],
      ["promotion", second.digest],
      ["promotion", to],
    ]);
    expect(history.moves[1]?.rolledBackAt).not.toBeNull();
    // --keep left the registries running: every region is read, and holds the rolled-back-to digest.
    expect(history.regions).toEqual({ "us-east-1": to, "eu-west-1": to, "ap-southeast-2": to });

    // rollback --local over what the run left: latest back onto the second release, in every region.
    const reason = "e2e: 1.1.0 was fine after all";
    const rollback = ["rollback", REPOSITORY, "--tags", "latest", "--local", "--state", state];
    const unknown = `sha256:${"0".repeat(64)}`;
    const refused = await cli(...rollback, "--to", unknown, "--reason", reason);
    expect(refused.stderr).toContain("portcullis rollback: refused, nothing moved:");
    expect(refused.stderr).toContain(unknown);
    expect(refused.code).toBe(2);
    const onFirst = { "us-east-1": to, "eu-west-1": to, "ap-southeast-2": to };
    expect(await latestEverywhere(hosts)).toEqual(onFirst);

    const moved = await cli(...rollback, "--to", second.digest, "--reason", reason, "--json");
    expect(moved.stderr).toBe("");
    expect(moved.code).toBe(0);
    const outcome = JSON.parse(moved.stdout) as {
      to: string;
      forced: unknown[];
      regions: { kind: string }[];
    };
    expect(outcome.to).toBe(second.digest);
    expect(outcome.forced).toEqual([]);
    expect(outcome.regions.map((r) => r.kind)).toEqual(["moved", "moved", "moved"]);
    const onSecond = {
      "us-east-1": second.digest,
      "eu-west-1": second.digest,
      "ap-southeast-2": second.digest,
    };
    expect(await latestEverywhere(hosts)).toEqual(onSecond);
    const after = (await readLocal(state, "history", REPOSITORY, "latest")) as typeof history;
    expect(after.moves.map((move) => [move.cause, move.digest])).toEqual([
      ["rollback", second.digest],
      ...history.moves.map((move) => [move.cause, move.digest]),
    ]);
    expect(after.regions).toEqual(onSecond);
    // Reported as the local pipeline reports: a Slack preview and the target commit's check run in reports/.
    const reports = join(state, "reports");
    const files = await readdir(reports);
    const slack = await Promise.all(
      files.filter((f) => f.startsWith("slack-")).map((f) => readFile(join(reports, f), "utf8")),
    );
    expect(slack.filter((text) => text.includes("Rolled back"))).toHaveLength(2);
    expect(slack.some((text) => text.includes(`latest to ${second.digest.slice(7, 19)}`))).toBe(true);
    const runs = files.filter((f) => f.startsWith("check-run-") && f.includes(second.digest.slice(7, 19)));
    const rendered = await Promise.all(runs.map((f) => readFile(join(reports, f), "utf8")));
    expect(rendered.join("\n")).toContain("Rolled back here: latest");
    // Once they are stopped, history says so per region instead of failing.
    await stopKeptRegistries(stateLayout(dir, "rollback"));
    const offline = (await readLocal(state, "history", REPOSITORY, "latest")) as typeof history;
    expect(offline.moves).toEqual(after.moves);
    for (const region of Object.values(offline.regions))
      expect(region).toMatch(/^not read: registry not running/);
    // …and a rollback refuses, naming each region, with nothing moved in the table.
    const down = await cli(...rollback, "--to", to ?? "", "--reason", reason);
    expect(down.code).toBe(1);
    expect(down.stderr).toContain('region "eu-west-1" cannot take the rollback: registry not running');
    expect(((await readLocal(state, "history", REPOSITORY, "latest")) as typeof history).moves).toEqual(
      after.moves,
    );
  }, 240_000);

  it("demote: a new CRITICAL on the second release takes latest off it in every region", async () => {
    const { stdout, hosts } = await runKept(dir, "demote");
    expect(stdout).toMatch(/Inspector2 Finding: CRITICAL CVE-2023-38545 on portcullis\/example-app@/);
    expect(stdout).toMatch(/⬇️ Demoted: portcullis\/example-app \(CRITICAL CVE-2023-38545\)/);
    expect(stdout).toMatch(/promotion by event \[demoted /);
    expect(stdout).toContain("Result     OK");
    await expectLatestOnFirstRelease(hosts);
  }, 240_000);
});
