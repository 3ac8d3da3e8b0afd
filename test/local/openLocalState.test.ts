import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.ts";
import type { Digest } from "../../src/core/index.ts";
import { LocalDynamo } from "../../src/local/services/LocalDynamo.ts";
import { stateLayout, stateLayoutDefaults } from "../../src/local/services/StateLayout.ts";
import { StateLock } from "../../src/local/services/StateLock.ts";
import { createReleaseStore } from "../../src/store/index.ts";
import { captureIo } from "../support/captureIo.ts";

const CONFIG = new URL("../../portcullis.config.ts", import.meta.url).pathname;
const REPOSITORY = "portcullis/example-app";
const A = `sha256:${"a".repeat(64)}` as Digest;
const B = `sha256:${"b".repeat(64)}` as Digest;

/** `portcullis status|history … --local` over a state folder, as users run it after `npm start`. */
describe("status and history --local", () => {
  let cwd: string;
  const run = async (...argv: string[]) => {
    const io = captureIo({ cwd });
    const code = await main([...argv, "--local", "--config", CONFIG], io);
    return { code, out: io.out(), err: io.err() };
  };

  beforeEach(async () => {
    cwd = await mkdtemp(join(tmpdir(), "portcullis-local-state-"));
  });
  afterEach(async () => {
    await rm(cwd, { recursive: true, force: true });
  });

  /** What a run leaves: the table in `.portcullis/table`, here with `latest` moved twice. */
  async function seed(): Promise<void> {
    const layout = stateLayout(cwd);
    const dynamo = await LocalDynamo.start({
      tableName: stateLayoutDefaults.tableName,
      region: "us-east-1",
      path: layout.table,
    });
    try {
      const store = createReleaseStore({ client: dynamo.client, tableName: dynamo.tableName });
      const entries = [
        { digest: A, at: "2026-12-01T10:00:00.000Z" },
        { digest: B, at: "2026-12-01T11:00:00.000Z" },
      ];
      expect(
        await store.saveTagHistory({ region: "us-east-1", repository: REPOSITORY }, "latest", entries, 0),
      ).toBe("saved");
    } finally {
      await dynamo.stop();
    }
  }

  it("names the folder when no local run left a table there", async () => {
    const { code, err } = await run("status");
    expect(code).toBe(2);
    expect(err).toContain(".portcullis/table does not exist: run the local pipeline first");
  });

  it("reads the persisted table; regions whose registry is not running are shown as not read", async () => {
    await seed();
    const { code, out, err } = await run("history", REPOSITORY, "latest", "--json");
    expect(err).toBe("");
    expect(code).toBe(0);
    const view = JSON.parse(out) as { moves: { digest: string; cause: string }[]; regions: object };
    expect(view.moves.map((m) => [m.cause, m.digest])).toEqual([
      ["promotion", B],
      ["promotion", A],
    ]);
    expect(Object.keys(view.regions)).toEqual(["us-east-1", "eu-west-1", "ap-southeast-2"]);
    for (const region of Object.values(view.regions))
      expect(region).toMatch(/^not read: registry not running/);

    const table = await run("history", REPOSITORY, "latest");
    expect(table.code).toBe(0);
    expect(table.out).toContain(`${REPOSITORY}:latest (history kept in us-east-1)`);
    expect(table.out).toContain(B);

    const status = await run("status", "--json");
    expect(status.code).toBe(0);
    expect(JSON.parse(status.out)).toEqual([]);
    // The read stopped dynalite and let go of the folder: a second read opens it again.
    expect((await run("history", REPOSITORY, "nope")).err).toContain('TAG: "nope" is not a tag of');
  });

  it("rollback --local: without the run's findings only --force; a region not running refuses, nothing moved", async () => {
    await seed();
    const args = ["rollback", REPOSITORY, "--to", A, "--tags", "latest", "--reason", "p99"];
    const unchecked = await run(...args);
    expect(unchecked.code).toBe(2);
    expect(unchecked.err).toContain(
      ".portcullis/run.json does not say which findings and policy the local run gated with",
    );
    expect(unchecked.err).toContain("add --force to roll back without the check");
    // A run.json that does not parse is not trusted for the policy check either.
    await writeFile(stateLayout(cwd).runFile, '{"findings": "/x", "policyFile": "/y", "account": "me"}\n');
    const edited = await run(...args);
    expect(edited.code).toBe(2);
    expect(edited.err).toContain(".portcullis/run.json does not say which findings and policy");

    const down = await run(...args, "--force");
    expect(down.code).toBe(1);
    expect(down.err).toContain("refused, nothing moved");
    for (const region of ["us-east-1", "eu-west-1", "ap-southeast-2"])
      expect(down.err).toContain(`region "${region}" cannot take the rollback: registry not running`);
    const history = await run("history", REPOSITORY, "latest", "--json");
    const view = JSON.parse(history.out) as { moves: { digest: string; cause: string }[] };
    expect(view.moves.map((m) => [m.cause, m.digest])).toEqual([
      ["promotion", B],
      ["promotion", A],
    ]);
  });

  it("refuses while a run holds the state folder, and a --state without --local", async () => {
    await seed();
    const lock = await StateLock.acquire({ file: stateLayout(cwd).lockFile, folder: ".portcullis" });
    try {
      const { code, err } = await run("status");
      expect(code).toBe(2);
      expect(err).toContain(`another run (pid ${process.pid}) is using .portcullis`);
    } finally {
      await lock.release();
    }
    const io = captureIo({ cwd });
    expect(await main(["status", "--state", "x", "--config", CONFIG], io)).toBe(2);
    expect(io.err()).toContain("--state is only read with --local");
    // Without --local and with no deployed outputs, the error points at the local run's table.
    const aws = captureIo({ cwd });
    expect(await main(["status", "--config", CONFIG], aws)).toBe(2);
    expect(aws.err()).toContain("cannot be read: run `npm run deploy`");
    expect(aws.err()).toContain("(a local run's state is in .portcullis/table/: add --local)");
  });
});
