import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
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
      "review-portcullis-Pipeline.template.json",
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

  it("fails on an invalid configuration, naming the field and the value, before synthesizing anything", async () => {
    const dir = join(out, "..");
    const config = join(dir, "invalid.config.ts");
    const define = join(ROOT, "src/config/defineConfig.ts");
    await writeFile(
      config,
      `import { defineConfig } from ${JSON.stringify(define)};
export default defineConfig({ primaryRegion: "us-east-1", replicaRegions: ["us-east-1"],
  repositories: [{ name: "shop/web" }], github: { owner: "octo-org", repo: "shop" } });\n`,
    );
    const failed = await promisify(execFile)(
      "npm",
      ["run", "--silent", "synth", "--", "--config", config, "--out", join(dir, "never")],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/root", NODE_ENV: "test" },
      },
    ).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed?.code).toBe(2);
    expect(failed?.stderr).toContain(`invalid Portcullis configuration ${config}:`);
    expect(failed?.stderr).toContain(
      'replicaRegions[0]: "us-east-1" must differ from primaryRegion ("us-east-1")',
    );
    await expect(readdir(join(dir, "never"))).rejects.toThrow();
  });
});
