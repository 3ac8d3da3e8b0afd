import { execFile } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { releaseCalls } from "../iam/buildActions.ts";
import { BUILD_CONFIG, BUILD_NAMES } from "../iam/buildDeployment.ts";
import { expectCallsAllowed } from "../iam/expectAllowed.ts";
import { type FakeAwsAnswer, type FakeCodeBuild, startFakeCodeBuild } from "../support/fakeCodeBuild.ts";

const ROOT = new URL("../..", import.meta.url).pathname;
const COMMIT = "0123456789abcdef0123456789abcdef01234567";
const DIGEST = `sha256:${"d".repeat(64)}`;
const PROJECT = "portcullis-prod-shop-web";
const BATCH = `${PROJECT}:7f2c`;
const GROUP = `/aws/codebuild/${PROJECT}`;
const github = {
  sha: COMMIT,
  ref: "refs/tags/v1.2.3",
  server_url: "https://github.com",
  repository: "octo-org/shop",
  run_id: "4242",
};

interface ActionMetadata {
  inputs: Record<string, { default?: string }>;
  runs: { using: string; main: string };
}

/** The INPUT_* variables the runner sets: each `with:` value, else the input's default, expressions evaluated. */
function inputEnv(metadata: ActionMetadata, given: Record<string, string>): Record<string, string> {
  const evaluate = (text: string) =>
    text.replace(/\$\{\{\s*github\.(\w+)\s*\}\}/g, (_, key: keyof typeof github) => github[key]);
  const env: Record<string, string> = {};
  for (const [name, input] of Object.entries(metadata.inputs)) {
    const value = given[name] ?? (input.default === undefined ? undefined : evaluate(input.default));
    if (value !== undefined) env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] = value;
  }
  return env;
}

const arn = (id: string) => `arn:aws:codebuild:eu-west-1:123456789012:build/${id}`;
const batch = (status: string, jobs: string[]) => ({
  id: BATCH,
  buildBatchStatus: status,
  buildGroups: jobs.map((job) => ({
    identifier: job,
    currentBuildSummary: { arn: arn(`${PROJECT}:${job}`) },
  })),
});
const build = (job: string, status: string, extra: Record<string, unknown> = {}) => ({
  id: `${PROJECT}:${job}`,
  buildStatus: status,
  logs: { groupName: GROUP, streamName: job },
  ...extra,
});

/** A batch that ends as `final` with these builds, each stream serving its lines once. */
function codeBuild(final: string, builds: Record<string, unknown>[], logs: Record<string, string[]>) {
  return (operation: string, body: Record<string, unknown>): FakeAwsAnswer | undefined => {
    const jobs = builds.map((b) => String(b.id).split(":")[1] ?? "");
    switch (operation) {
      case "StartBuildBatch":
        return { body: { buildBatch: batch("IN_PROGRESS", []) } };
      case "BatchGetBuildBatches":
        return { body: { buildBatches: [batch(final, jobs)] } };
      case "BatchGetBuilds":
        return { body: { builds } };
      case "GetLogEvents": {
        const lines = body.nextToken === undefined ? (logs[String(body.logStreamName)] ?? []) : [];
        return {
          body: {
            events: lines.map((message, i) => ({ message, timestamp: i })),
            nextForwardToken: "f/end",
          },
        };
      }
    }
    return undefined;
  };
}

describe("the GitHub Action, run as the runner runs it", () => {
  let metadata: ActionMetadata;
  let actionDir: string;
  let workspace: string;
  let aws: FakeCodeBuild | undefined;

  beforeAll(async () => {
    metadata = parse(await readFile(join(ROOT, "action.yml"), "utf8")) as ActionMetadata;
    // The runner downloads the action's repository at the pinned commit and runs runs.main with its own
    // Node: copy only what is committed there, far from this repository's node_modules.
    actionDir = await mkdtemp(join(tmpdir(), "portcullis-action-"));
    await mkdir(join(actionDir, dirname(metadata.runs.main)), { recursive: true });
    await copyFile(join(ROOT, metadata.runs.main), join(actionDir, metadata.runs.main));
    workspace = await mkdtemp(join(tmpdir(), "portcullis-workspace-"));
  });
  afterAll(async () => {
    await rm(actionDir, { recursive: true, force: true });
    await rm(workspace, { recursive: true, force: true });
  });
  afterEach(async () => {
    await aws?.stop();
    aws = undefined;
  });

  async function runAction(given: Record<string, string>) {
    const output = join(workspace, `output-${Date.now()}`);
    const summary = join(workspace, `summary-${Date.now()}`);
    await writeFile(output, "");
    const env = {
      PATH: process.env.PATH ?? "",
      HOME: workspace,
      GITHUB_ACTIONS: "true",
      GITHUB_OUTPUT: output,
      GITHUB_STEP_SUMMARY: summary,
      GITHUB_SHA: github.sha,
      GITHUB_REF: github.ref,
      GITHUB_SERVER_URL: github.server_url,
      GITHUB_REPOSITORY: github.repository,
      GITHUB_RUN_ID: github.run_id,
      // What configure-aws-credentials exports, and an endpoint on loopback instead of AWS.
      AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE",
      AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
      AWS_SESSION_TOKEN: "session",
      AWS_CONFIG_FILE: join(workspace, "no-config"),
      AWS_SHARED_CREDENTIALS_FILE: join(workspace, "no-credentials"),
      AWS_EC2_METADATA_DISABLED: "true",
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      ...(aws ? { AWS_ENDPOINT_URL: aws.url } : {}),
      ...inputEnv(metadata, given),
    };
    const { code, stdout } = await new Promise<{ code: number; stdout: string }>((resolve) => {
      execFile(
        process.execPath,
        [join(actionDir, metadata.runs.main)],
        { cwd: workspace, env },
        (error, stdout) => resolve({ code: error ? Number(error.code) : 0, stdout }),
      );
    });
    return { code, lines: stdout.split("\n"), output: await readFile(output, "utf8"), summary };
  }

  it("runs on a Node runtime the runner provides", () => {
    expect(["node20", "node24"]).toContain(metadata.runs.using);
  });

  it("starts the batch, streams the logs in a group where the build cannot issue commands, and outputs the digest", async () => {
    aws = await startFakeCodeBuild(
      codeBuild(
        "SUCCEEDED",
        [
          build("amd64", "SUCCEEDED"),
          build("index", "SUCCEEDED", {
            exportedEnvironmentVariables: [{ name: "PORTCULLIS_INDEX_DIGEST", value: DIGEST }],
          }),
        ],
        {
          amd64: ["building linux/amd64\n", "::set-output name=digest::sha256:evil\n"],
          index: ["::error::not from the action\n", "assembling index\n"],
        },
      ),
    );
    const run = await runAction({ project: PROJECT, region: "eu-west-1", poll: "0" });

    expect(run.code).toBe(0);
    expect(run.output).toBe(`batch-id=${BATCH}\ndigest=${DIGEST}\n`);
    expect(await readFile(run.summary, "utf8")).toContain(DIGEST);
    const start = aws.calls.find((call) => call.operation === "StartBuildBatch");
    expect(start?.body).toMatchObject({
      projectName: PROJECT,
      sourceVersion: COMMIT,
      environmentVariablesOverride: expect.arrayContaining([
        { name: "PORTCULLIS_REF", value: "refs/tags/v1.2.3", type: "PLAINTEXT" },
        { name: "PORTCULLIS_SOURCE_URL", value: "https://github.com/octo-org/shop", type: "PLAINTEXT" },
      ]),
    });
    expect(start?.scope).toMatch(/^\d{8}\/eu-west-1\/codebuild\/aws4_request$/);
    // Every request the action sent over the wire is one the deployed release role allows (test/iam).
    const sent = aws.calls.map((call) => ({ name: `${call.operation}Command`, input: call.body }));
    await expectCallsAllowed(releaseCalls(sent, BUILD_NAMES), BUILD_CONFIG);

    const { lines } = run;
    expect(lines[0]).toBe(`::group::Portcullis build: ${PROJECT}`);
    const token = /^::stop-commands::([0-9a-f]{32})$/.exec(lines[1] ?? "")?.[1];
    expect(token).toBeDefined();
    const resume = lines.indexOf(`::${token}::`);
    const logs = lines.slice(2, resume);
    expect(logs).toContain(`started batch ${BATCH}`);
    expect(logs).toContain("[amd64] building linux/amd64");
    // Commands printed by the build pass as text while commands are stopped.
    expect(logs).toContain("[amd64] ::set-output name=digest::sha256:evil");
    expect(logs).toContain("[index] ::error::not from the action");
    expect(lines.slice(resume + 1)).toEqual([
      "::endgroup::",
      `batch ${BATCH} succeeded: index ${DIGEST}`,
      "",
    ]);
  });

  it("fails the step with an ::error:: saying which job failed and why, and an empty digest", async () => {
    const phases = [
      {
        phaseType: "BUILD",
        phaseStatus: "FAILED",
        contexts: [{ statusCode: "COMMAND_EXECUTION_ERROR", message: "bash build.sh image: exit status 1" }],
      },
    ];
    aws = await startFakeCodeBuild(
      codeBuild("FAILED", [build("amd64", "SUCCEEDED"), build("arm64", "FAILED", { phases })], {
        arm64: ["ERROR: failed to solve\n"],
      }),
    );
    const run = await runAction({ project: PROJECT, region: "eu-west-1", poll: "0" });

    expect(run.code).toBe(1);
    expect(run.output).toBe(`batch-id=${BATCH}\ndigest=\n`);
    expect(run.lines).toContain("[arm64] ERROR: failed to solve");
    expect(run.lines.at(-3)).toBe("::endgroup::");
    expect(run.lines.at(-2)).toBe(
      `::error title=Portcullis build::batch ${BATCH} FAILED:%0A  arm64: FAILED; BUILD FAILED: bash build.sh image: exit status 1`,
    );
  });

  it("fails the step with an ::error:: naming the AWS error when the release role may not start the batch", async () => {
    aws = await startFakeCodeBuild(() => ({
      error: "AccessDeniedException",
      message: "User is not authorized to perform: codebuild:StartBuildBatch",
    }));
    const run = await runAction({ project: PROJECT, region: "eu-west-1", poll: "0" });

    expect(run.code).toBe(1);
    expect(run.lines).toEqual([
      "::error title=Portcullis build::AccessDeniedException: User is not authorized to perform: codebuild:StartBuildBatch",
      "",
    ]);
    expect(run.output).toBe("");
  });

  it("refuses a bad input by its input name before calling AWS", async () => {
    aws = await startFakeCodeBuild(() => undefined);
    const run = await runAction({ project: "", region: "eu-west-1" });
    expect(run.code).toBe(2);
    expect(run.lines[0]).toBe(
      `::error title=Portcullis build::input "project" must name a CodeBuild project, not ""`,
    );
    expect((await runAction({ project: PROJECT, ref: "refs/pull/7/merge" })).lines[0]).toMatch(
      /^::error title=Portcullis build::ref: "refs\/pull\/7\/merge" is a pull-request ref/,
    );
    expect(aws.calls).toEqual([]);
  });
});
