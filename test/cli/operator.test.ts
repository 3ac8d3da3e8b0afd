import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runHistory } from "../../src/cli/commands/history.ts";
import { parseRollbackArgs, runRollback } from "../../src/cli/commands/rollback.ts";
import { runStatus } from "../../src/cli/commands/status.ts";
import { main } from "../../src/cli/main.ts";
import { parseDeployedOutputs } from "../../src/cli/operator/deployedOutputs.ts";
import {
  PRIMARY,
  REPLICA,
  startRollbackServices,
  stopRollbackServices,
  type World,
  world,
} from "../handlers/support/rollbackWorld.ts";
import { captureIo } from "../support/captureIo.ts";

describe("operator command lines", () => {
  it.each([
    [["rollback", "team/app", "--reason", "x"], "--to is required"],
    [
      ["rollback", "team/app", "--to", "sha256:abc", "--reason", "x"],
      '--to "sha256:abc" must be previous or sha256:',
    ],
    [["rollback", "team/app", "--to", "previous"], "--reason is required"],
    [
      ["rollback", "team/app", "--to", "previous", "--reason", "x", "--tags", "latest,bad tag"],
      '--tags "bad tag" is not a tag name',
    ],
    [
      ["rollback", "Team//app", "--to", "previous", "--reason", "x"],
      'REPOSITORY "Team//app" is not a repository name',
    ],
    [["status", "team/app@sha256:12"], '@DIGEST "sha256:12" must be sha256:'],
    [["status", "--limit", "0"], '--limit "0" must be a whole number'],
    [["history", "team/app"], "expected REPOSITORY TAG, got 1 argument(s)"],
    [["status", "--outputs", "no-such-outputs.json"], '--outputs "'],
  ])("%j exits 2 naming the field: %s", async (argv, message) => {
    const io = captureIo();
    expect(await main(argv, io)).toBe(2);
    expect(io.err()).toContain(message);
  });

  it("builds the rollback order from the flags", () => {
    const digest = `sha256:${"a".repeat(64)}`;
    const args = parseRollbackArgs(
      ["team/app", "--to", digest, "--tags", "latest, 1", "--reason", " p99 ", "--force", "--json"],
      { USER: "alice" },
    );
    expect(args.order).toEqual({
      repository: "team/app",
      to: { kind: "digest", digest },
      tags: ["latest", "1"],
      reason: "p99",
      by: "alice",
      force: true,
    });
    expect(args.json).toBe(true);
  });

  it("reads the deployed stacks' outputs, naming a missing one", () => {
    const outputs = parseDeployedOutputs(
      {
        "prod-portcullis-State": {
          TableName: "t",
          TopicArn: "arn:aws:sns:us-east-1:123456789012:topic",
          EventBusName: "portcullis-prod",
        },
        "prod-portcullis-Pipeline": { ReconcileFunction: "prod-reconcile" },
      },
      "o.json",
    );
    expect(outputs).toMatchObject({
      account: "123456789012",
      tableName: "t",
      eventBusName: "portcullis-prod",
      all: { ReconcileFunction: "prod-reconcile" },
    });
    expect(() =>
      parseDeployedOutputs({ s: { TopicArn: "arn:aws:sns:us-east-1:123456789012:x" } }, "o.json"),
    ).toThrow("o.json: no TableName output");
  });
});

describe("status, history and rollback against dynalite and two registries", () => {
  beforeAll(startRollbackServices);
  afterAll(stopRollbackServices);
  let w: World;
  beforeEach(async () => {
    w = await world();
  });

  it("shows where each release stands, newest first, as text and JSON", async () => {
    const io = captureIo();
    expect(await runStatus(w.ctx, { target: { repository: w.repository }, limit: 10, json: false }, io)).toBe(
      0,
    );
    const text = io.out();
    expect(text.indexOf(w.b.key.digest.slice(0, 19))).toBeLessThan(text.indexOf(w.a.key.digest.slice(0, 19)));
    expect(text).toContain("promoted as 1.1.0 latest 1 1.1; tags here now: 1 1.1 1.1.0 latest");
    expect(text).toContain("promoted as 1.0.0 latest 1 1.0; tags here now: 1.0 1.0.0");
    expect(text).toMatch(new RegExp(`${REPLICA}\\s+done \\(1 attempt\\)`));
    const json = captureIo();
    await runStatus(
      w.ctx,
      { target: { repository: w.repository, tag: "1.0.0" }, limit: 10, json: true },
      json,
    );
    expect(JSON.parse(json.out())).toMatchObject([
      { digest: w.a.key.digest, phase: "promoted", commit: "a".repeat(40) },
    ]);
  });

  it("refuses an unknown repository, tag or digest by name", async () => {
    const io = captureIo();
    expect(await runStatus(w.ctx, { target: { repository: "team/nope" }, limit: 10, json: false }, io)).toBe(
      2,
    );
    expect(
      await runStatus(
        w.ctx,
        { target: { repository: w.repository, tag: "9.9" }, limit: 10, json: false },
        io,
      ),
    ).toBe(2);
    expect(io.err()).toContain('REPOSITORY: "team/nope" is not configured');
    expect(io.err()).toContain(`:TAG: "9.9" is not a tag of ${w.repository} in us-east-1`);
    expect(
      await runStatus(
        w.ctx,
        { target: { repository: w.repository, digest: `sha256:${"e".repeat(64)}` }, limit: 10, json: false },
        io,
      ),
    ).toBe(2);
    expect(io.err()).toContain(`@DIGEST: "sha256:${"e".repeat(64)}" is not a candidate in ${w.repository}`);
    w.directory.down.add(PRIMARY);
    expect(
      await runStatus(
        w.ctx,
        { target: { repository: w.repository, tag: "latest" }, limit: 10, json: false },
        io,
      ),
    ).toBe(2);
    expect(io.err()).toContain('region: "us-east-1" did not answer for latest: connect ECONNREFUSED');
    w.directory.down.delete(PRIMARY);
    expect(await runHistory(w.ctx, { repository: w.repository, tag: "nope", json: false }, io)).toBe(2);
    expect(io.err()).toContain('TAG: "nope" is not a tag');
  });

  it("rolls back, then history shows who and why, and every region's digest", async () => {
    const io = captureIo();
    const order = {
      repository: w.repository,
      to: { kind: "previous" as const },
      reason: "p99",
      by: "alice",
      force: false,
    };
    expect(await runRollback(w.ctx, { order, json: false }, io)).toBe(0);
    expect(io.out()).toContain(`Rolled back ${w.repository} latest, 1 to ${w.a.key.digest}`);
    expect(io.out()).toMatch(new RegExp(`${REPLICA}\\s+ok: latest moved, 1 moved \\(read back\\)`));
    const history = captureIo();
    expect(await runHistory(w.ctx, { repository: w.repository, tag: "latest", json: true }, history)).toBe(0);
    const view = JSON.parse(history.out());
    expect(view.regions).toEqual({ [PRIMARY]: w.a.key.digest, [REPLICA]: w.a.key.digest });
    expect(view.moves[0]).toMatchObject({
      cause: "rollback",
      by: "alice",
      reason: "p99",
      digest: w.a.key.digest,
    });
    expect(view.moves[1]).toMatchObject({
      cause: "promotion",
      by: "event",
      digest: w.b.key.digest,
      rolledBackAt: expect.any(String),
    });
    const status = captureIo();
    expect(
      await runStatus(w.ctx, { target: { repository: w.repository }, limit: 10, json: true }, status),
    ).toBe(0);
    const [b, a] = JSON.parse(status.out());
    expect(b).toMatchObject({ tagsNow: ["1.1", "1.1.0"], demotedAt: null });
    expect(b.rolledBackOff.map((r: { tag: string }) => r.tag).sort()).toEqual(["1", "latest"]);
    expect(a).toMatchObject({ tagsNow: ["1", "1.0", "1.0.0", "latest"], rolledBackOff: [] });
    const refused = captureIo();
    expect(await runRollback(w.ctx, { order: { ...order, tags: ["latest"] }, json: false }, refused)).toBe(2);
    expect(refused.err()).toContain("refused, nothing moved");
  });
});
