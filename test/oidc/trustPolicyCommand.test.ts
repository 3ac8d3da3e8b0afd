import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.ts";
import { captureIo } from "../support/captureIo.ts";

const ROOT = new URL("../..", import.meta.url).pathname;

describe("portcullis trust-policy", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "portcullis-trust-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("prints the policy for the given repository and refs", async () => {
    const io = captureIo();
    const code = await main(
      [
        "trust-policy",
        "--repo",
        "octo-org/shop",
        "--branch",
        "main",
        "--tag-pattern",
        "v*",
        "--account",
        "123456789012",
      ],
      io,
    );
    expect(code).toBe(0);
    const policy = JSON.parse(io.out());
    expect(policy.Statement[0].Principal.Federated).toBe(
      "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com",
    );
    expect(policy.Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"]).toEqual([
      "repo:octo-org/shop:ref:refs/heads/main",
    ]);
    expect(policy.Statement[1].Condition.StringLike["token.actions.githubusercontent.com:sub"]).toEqual([
      "repo:octo-org/shop:ref:refs/tags/v*",
    ]);
  });

  it("prints the policy of the configuration when no --repo is given", async () => {
    const io = captureIo({ cwd: ROOT });
    expect(await main(["trust-policy", "--account", "123456789012"], io)).toBe(0);
    expect(io.out()).toContain("repo:portcullis-dev/portcullis:ref:refs/heads/main");
  });

  it("warns on stderr when the account is left as a placeholder", async () => {
    const io = captureIo();
    expect(await main(["trust-policy", "--repo", "o/r", "--branch", "main"], io)).toBe(0);
    expect(io.out()).toContain("arn:aws:iam::<ACCOUNT_ID>:oidc-provider");
    expect(io.err()).toMatch(/replace <ACCOUNT_ID>/);
  });

  it.each([
    [["--repo", "octo-org"], /OWNER\/REPO/],
    [["--repo", "o/r"], /nothing could assume/],
    [["--repo", "o/r", "--branch", "release/*"], /branches\[0\]: "release\/\*" must be an exact branch name/],
    [["--repo", "o/r", "--branch", "main", "--account", "12"], /12-digit/],
    [["--repo", "o/r", "--bogus"], /Unknown option '--bogus'/],
  ])("refuses bad input %j with exit 2 and the reason", async (args, message) => {
    const io = captureIo();
    expect(await main(["trust-policy", ...args], io)).toBe(2);
    expect(io.err()).toMatch(message);
  });

  it("lints a policy, lists the findings and exits 1 on errors", async () => {
    const file = join(dir, "weak.json");
    await writeFile(
      file,
      JSON.stringify({
        Version: "2012-10-17",
        Statement: {
          Effect: "Allow",
          Principal: { Federated: "arn:aws:iam::1:oidc-provider/token.actions.githubusercontent.com" },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: { StringLike: { "token.actions.githubusercontent.com:sub": "repo:octo-org/*" } },
        },
      }),
    );
    const io = captureIo({ cwd: dir });
    expect(
      await main(["trust-policy", "--check", "weak.json", "--repo", "octo-org/shop", "--branch", "main"], io),
    ).toBe(1);
    const out = io.out();
    expect(out).toMatch(/^weak\.json: 4 errors, 1 warning/);
    expect(out).toMatch(
      /error {3}Statement\[0\] repository-pattern: "repo:octo-org\/\*" has a wildcard in OWNER\/REPO/,
    );
    expect(out).toMatch(/error {3}Statement\[0\] missing-aud: has no condition/);
    expect(out).toMatch(/error {3}Statement\[0\] admits-pull-requests: "repo:octo-org\/shop:pull_request"/);
    expect(out).toMatch(/error {3}Statement\[0\] wildcard-repository/);
    expect(out).toMatch(/warning Statement\[0\] any-branch/);
  });

  it("passes a policy it printed itself, through the real binary", async () => {
    const run = promisify(execFile);
    const printed = await run(
      process.execPath,
      [
        "bin/portcullis.js",
        "trust-policy",
        "--repo",
        "octo-org/shop",
        "--branch",
        "main",
        "--environment",
        "production",
        "--tag-pattern",
        "v*",
        "--tag-pattern",
        "1.0.0",
        "--account",
        "123456789012",
      ],
      { cwd: ROOT },
    );
    const file = join(dir, "printed.json");
    await writeFile(file, printed.stdout);
    const checked = await run(
      process.execPath,
      [
        "bin/portcullis.js",
        "trust-policy",
        "--check",
        file,
        "--repo",
        "octo-org/shop",
        "--branch",
        "main",
        "--environment",
        "production",
        "--tag-pattern",
        "v*",
        "--tag-pattern",
        "1.0.0",
      ],
      { cwd: ROOT },
    );
    expect(checked.stdout).toBe(`${file}: no findings\n`);
  });

  it("passes the policy of the project's configuration, checked against that configuration", async () => {
    const printed = captureIo({ cwd: ROOT });
    expect(await main(["trust-policy", "--account", "123456789012"], printed)).toBe(0);
    const file = join(dir, "configured.json");
    await writeFile(file, printed.out());
    const io = captureIo({ cwd: ROOT });
    expect(await main(["trust-policy", "--check", file, "--config", "portcullis.config.ts"], io)).toBe(0);
    expect(io.out()).toBe(`${file}: no findings\n`);
  });

  it("reports an extra branch as a warning and an unexpected environment as an error", async () => {
    const file = join(dir, "extra.json");
    const printed = captureIo();
    await main(
      [
        "trust-policy",
        "--repo",
        "octo-org/shop",
        "--branch",
        "main",
        "--branch",
        "dev",
        "--environment",
        "prod",
      ],
      printed,
    );
    await writeFile(file, printed.out());
    const io = captureIo({ cwd: dir });
    expect(
      await main(["trust-policy", "--check", file, "--repo", "octo-org/shop", "--branch", "main"], io),
    ).toBe(1);
    expect(io.out()).toMatch(/1 error, 1 warning/);
    expect(io.out()).toMatch(
      /error {3}Statement\[0\] extra-environment: "repo:octo-org\/shop:environment:prod" is an environment beyond the expected ones \(none\): GitHub creates an environment/,
    );
    expect(io.out()).toMatch(/warning Statement\[0\] extra-ref: "repo:octo-org\/shop:ref:refs\/heads\/dev"/);
  });

  it.each([
    ["not JSON at all", "Version: 2012-10-17\n", /bad\.json:1:1: not valid JSON: invalid symbol: "Version"/],
    [
      "a missing comma",
      '{\n  "Version": "2012-10-17"\n  "Statement": []\n}',
      /bad\.json:3:3: not valid JSON: comma expected/,
    ],
    ["an empty file", "", /bad\.json:1:1: not valid JSON: value expected: the text ends/],
  ])("says where a file with %s stops being JSON (exit 2)", async (_title, text, message) => {
    await writeFile(join(dir, "bad.json"), text);
    const io = captureIo({ cwd: dir });
    expect(await main(["trust-policy", "--check", "bad.json"], io)).toBe(2);
    expect(io.err()).toMatch(message);
    expect(io.err()).not.toMatch(/is missing/);
  });

  it("prints findings as JSON with --json", async () => {
    const file = join(dir, "json.json");
    await writeFile(file, JSON.stringify({ Version: "2012-10-17", Statement: [] }));
    const io = captureIo({ cwd: dir });
    expect(await main(["trust-policy", "--check", file, "--json"], io)).toBe(1);
    expect(JSON.parse(io.out())).toEqual([
      expect.objectContaining({ code: "no-github-statement", severity: "error" }),
    ]);
  });
});
