import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = new URL("../..", import.meta.url).pathname;

describe("npm run synth", () => {
  let out: string;
  let stdout: string;
  beforeAll(async () => {
    out = join(await mkdtemp(join(tmpdir(), "portcullis-synth-test-")), "templates");
    // The npm script, as `npm run synth -- --out DIR` runs it; no AWS credentials, no network.
    ({ stdout } = await promisify(execFile)(
      "npm",
      ["run", "--silent", "synth", "--", "--out", out, "--stage", "review"],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/root", NODE_ENV: "test" },
      },
    ));
  });
  afterAll(() => rm(join(out, ".."), { recursive: true, force: true }));

  it("writes every stack's template for the primary and each replica region", async () => {
    expect((await readdir(join(out, "us-east-1"))).sort()).toEqual([
      "review-portcullis-Build.template.json",
      "review-portcullis-Registry.template.json",
      "review-portcullis-State.template.json",
    ]);
    for (const region of ["eu-west-1", "ap-southeast-2"])
      expect(await readdir(join(out, region))).toEqual(["review-portcullis-Registry.template.json"]);
    expect(stdout).toMatch(/review-portcullis-Build\.template\.json: \d+ resources, 0 errors/);
  });

  it("writes CloudFormation a reviewer can read: the project, its role and the OIDC provider", async () => {
    const build = JSON.parse(
      await readFile(join(out, "us-east-1/review-portcullis-Build.template.json"), "utf8"),
    ) as {
      Resources: Record<string, { Type: string }>;
    };
    const types = Object.values(build.Resources).map((r) => r.Type);
    expect(types).toEqual(
      expect.arrayContaining(["AWS::CodeBuild::Project", "AWS::IAM::OIDCProvider", "AWS::IAM::Role"]),
    );
  });
});
