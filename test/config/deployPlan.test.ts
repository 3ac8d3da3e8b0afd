import { execFile } from "node:child_process";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { checkStage, deployPlan, mergeOutputs } from "../../src/config/deployPlan.ts";

const config = { primaryRegion: "us-east-1", replicaRegions: ["eu-west-1", "ap-southeast-2"] };

describe("deployPlan", () => {
  it("deploys the primary first, then each replica; removes in reverse", () => {
    const deploy = deployPlan(config, "deploy", "prod");
    expect(deploy.map((s) => [s.region, s.stacks.join(",")])).toEqual([
      ["us-east-1", "State,Registry,Build,Pipeline"],
      ["eu-west-1", "Registry"],
      ["ap-southeast-2", "Registry"],
    ]);
    expect(deploy[1]?.argv).toEqual(["sst", "deploy", "--stage", "prod", "--region", "eu-west-1"]);
    expect(deployPlan(config, "remove", "prod").map((s) => s.argv.join(" "))).toEqual([
      "sst remove --stage prod --region ap-southeast-2",
      "sst remove --stage prod --region eu-west-1",
      "sst remove --stage prod --region us-east-1",
    ]);
  });

  it("names a bad stage, and merges each region's outputs", () => {
    expect(checkStage("prod")).toBeUndefined();
    expect(checkStage("--region")).toMatch(/--stage "--region" must start with a letter/);
    const primary = mergeOutputs({}, "us-east-1", {
      "prod-portcullis-State": { TableName: "t" },
      "prod-portcullis-Registry": { RepositoryApp: "primary-uri" },
    });
    const merged = mergeOutputs(primary, "eu-west-1", {
      "prod-portcullis-Registry": { RepositoryApp: "replica-uri", Count: 3 },
    });
    expect(merged).toEqual({
      "us-east-1/prod-portcullis-State": { TableName: "t" },
      "us-east-1/prod-portcullis-Registry": { RepositoryApp: "primary-uri" },
      "eu-west-1/prod-portcullis-Registry": { RepositoryApp: "replica-uri" },
    });
  });
});

describe("npm run deploy (with a stand-in npx: sst itself never runs in tests)", () => {
  const script = resolve("scripts/deploy.ts");
  const tsx = resolve("node_modules/.bin/tsx");

  async function run(args: string[], failRegion: string) {
    const dir = await mkdtemp(join(tmpdir(), "deploy-"));
    const log = join(dir, "calls.log");
    // The stand-in records each run and fails for one region, as a failed CloudFormation deploy would.
    await writeFile(
      join(dir, "npx"),
      `#!/bin/sh\necho "$@" >> ${log}\ncase "$*" in *"--region ${failRegion}"*) exit 3;; esac\nmkdir -p .sst && echo "{\\"s-$6\\":{\\"ReleaseRoleArn\\":\\"arn:$6\\"}}" > .sst/outputs.json\n`,
    );
    await chmod(join(dir, "npx"), 0o755);
    const result = await promisify(execFile)(tsx, [script, ...args], {
      cwd: dir,
      env: { ...process.env, PATH: `${dir}:${process.env.PATH}` },
    }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    const calls = await readFile(log, "utf8").catch(() => "");
    const outputs = await readFile(join(dir, ".sst/portcullis-outputs.json"), "utf8").catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
    return { ...result, calls: calls.trim().split("\n").filter(Boolean), outputs };
  }

  const configFile = resolve("portcullis.config.ts");

  it("stops at the first failed region, naming it and its stacks", async () => {
    const { default: c } = await import("../../portcullis.config.ts");
    const primary = (c as { primaryRegion: string }).primaryRegion;
    const result = await run(["deploy", "--stage", "test", "--config", configFile], primary);
    expect(result.code).toBe(1);
    expect(result.calls).toEqual([`sst deploy --stage test --region ${primary}`]);
    expect(result.stderr).toContain(
      `deploy stopped at ${primary} (stacks State, Registry, Build, Pipeline): sst exited 3`,
    );
  }, 60_000);

  it("deploys every region in order and writes their merged outputs", async () => {
    const result = await run(["deploy", "--stage", "test", "--config", configFile], "none");
    expect(result.code).toBe(0);
    expect(result.calls.length).toBeGreaterThan(1);
    expect(result.stdout).toContain("ReleaseRoleArn=arn:");
    expect(Object.keys(JSON.parse(result.outputs ?? "{}"))).toHaveLength(result.calls.length);
  }, 60_000);

  it("refuses a missing stage before running anything", async () => {
    const result = await run(["deploy", "--config", configFile], "none");
    expect(result.code).toBe(2);
    expect(result.calls).toEqual([]);
    expect(result.stderr).toContain("--stage is required");
  }, 60_000);
});
