import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import {
  CloudWatchLogsClient,
  GetLogEventsCommand,
  type GetLogEventsCommandInput,
  ResourceNotFoundException,
} from "@aws-sdk/client-cloudwatch-logs";
import {
  BatchGetBuildBatchesCommand,
  BatchGetBuildsCommand,
  type Build,
  type BuildBatch,
  CodeBuildClient,
  StartBuildBatchCommand,
} from "@aws-sdk/client-codebuild";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.ts";
import { releaseCalls } from "../iam/buildActions.ts";
import { BUILD_CONFIG, BUILD_NAMES, sentCommands } from "../iam/buildDeployment.ts";
import { expectCallsAllowed } from "../iam/expectAllowed.ts";
import { captureIo } from "../support/captureIo.ts";

const ROOT = new URL("../..", import.meta.url).pathname;
const COMMIT = "0123456789abcdef0123456789abcdef01234567";
const DIGEST = `sha256:${"d".repeat(64)}`;
const BATCH = "portcullis-prod-shop-web:7f2c";
const ARN = (id: string) => `arn:aws:codebuild:eu-west-1:123456789012:build/${id}`;
const JOBS = {
  amd64: "portcullis-prod-shop-web:amd",
  arm64: "portcullis-prod-shop-web:arm",
  index: "portcullis-prod-shop-web:idx",
};
const GROUP = "/aws/codebuild/portcullis-prod-shop-web";

const codebuild = mockClient(CodeBuildClient);
const cloudwatch = mockClient(CloudWatchLogsClient);

function batch(
  status: BuildBatch["buildBatchStatus"],
  jobs: (keyof typeof JOBS)[],
): { buildBatches: BuildBatch[] } {
  return {
    buildBatches: [
      {
        id: BATCH,
        buildBatchStatus: status,
        buildGroups: [
          { identifier: "DOWNLOAD_SOURCE" },
          ...jobs.map((job) => ({ identifier: job, currentBuildSummary: { arn: ARN(JOBS[job]) } })),
        ],
      },
    ],
  };
}

function build(job: keyof typeof JOBS, status: Build["buildStatus"], extra: Partial<Build> = {}): Build {
  return { id: JOBS[job], buildStatus: status, logs: { groupName: GROUP, streamName: job }, ...extra };
}

/** Log streams as pages: each call returns the page after the token it was sent, then the same token. */
function serveLogs(pages: Record<string, string[][]>, missingFirst: string[] = []) {
  const missing = new Set(missingFirst);
  cloudwatch.on(GetLogEventsCommand).callsFake((input: GetLogEventsCommandInput) => {
    const stream = input.logStreamName ?? "";
    if (missing.delete(stream))
      throw new ResourceNotFoundException({
        message: "The specified log stream does not exist.",
        $metadata: {},
      });
    const streamPages = pages[stream] ?? [];
    const at = input.nextToken === undefined ? 0 : Number(input.nextToken.split("/")[1]);
    const page = streamPages[at];
    if (page === undefined) return { events: [], nextForwardToken: input.nextToken ?? `f/${at}` };
    return { events: page.map((message, i) => ({ message, timestamp: i })), nextForwardToken: `f/${at + 1}` };
  });
}

describe("portcullis build start", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "portcullis-build-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));
  beforeEach(() => {
    codebuild.reset();
    cloudwatch.reset();
  });
  afterEach(() => {
    codebuild.reset();
    cloudwatch.reset();
  });

  const args = [
    "build",
    "start",
    "--project",
    "portcullis-prod-shop-web",
    "--region",
    "eu-west-1",
    "--poll",
    "0",
  ];
  const githubEnv = {
    GITHUB_SHA: COMMIT,
    GITHUB_REF: "refs/tags/v1.2.3",
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_REPOSITORY: "octo-org/shop",
    GITHUB_RUN_ID: "4242",
  };

  it("starts the batch with the commit and git metadata, streams every job's logs and prints the digest", async () => {
    codebuild.on(StartBuildBatchCommand).resolves({ buildBatch: batch("IN_PROGRESS", []).buildBatches[0] });
    codebuild
      .on(BatchGetBuildBatchesCommand)
      .resolvesOnce(batch("IN_PROGRESS", ["amd64", "arm64"]))
      .resolves(batch("SUCCEEDED", ["amd64", "arm64", "index"]));
    codebuild
      .on(BatchGetBuildsCommand)
      .resolvesOnce({ builds: [build("amd64", "IN_PROGRESS"), build("arm64", "IN_PROGRESS")] })
      .resolves({
        builds: [
          build("amd64", "SUCCEEDED", {
            exportedEnvironmentVariables: [{ name: "PORTCULLIS_PLATFORM_IMAGE", value: "x@sha256:1" }],
          }),
          build("arm64", "SUCCEEDED"),
          build("index", "SUCCEEDED", {
            exportedEnvironmentVariables: [{ name: "PORTCULLIS_INDEX_DIGEST", value: DIGEST }],
          }),
        ],
      });
    serveLogs(
      {
        amd64: [["building linux/amd64\n", "pushed by digest\n"], ["cache exported\n"]],
        arm64: [["building linux/arm64\nstep 2/2\n"]],
        index: [["assembling index\n"]],
      },
      ["arm64"],
    );
    const output = join(dir, "github-output");
    const summary = join(dir, "summary.md");
    const io = captureIo({ env: { ...githubEnv, GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary } });

    expect(await main(args, io)).toBe(0);

    expect(io.out()).toBe(`${DIGEST}\n`);
    const start = codebuild.commandCalls(StartBuildBatchCommand)[0]?.args[0].input;
    expect(start).toEqual({
      projectName: "portcullis-prod-shop-web",
      sourceVersion: COMMIT,
      environmentVariablesOverride: [
        { name: "PORTCULLIS_COMMIT", value: COMMIT, type: "PLAINTEXT" },
        { name: "PORTCULLIS_REF", value: "refs/tags/v1.2.3", type: "PLAINTEXT" },
        { name: "PORTCULLIS_SOURCE_URL", value: "https://github.com/octo-org/shop", type: "PLAINTEXT" },
        {
          name: "PORTCULLIS_RUN_URL",
          value: "https://github.com/octo-org/shop/actions/runs/4242",
          type: "PLAINTEXT",
        },
      ],
    });
    const lines = io.err().split("\n");
    const of = (job: string) => lines.filter((line) => line.startsWith(`[${job}] `));
    expect(of("amd64")).toEqual([
      "[amd64] building linux/amd64",
      "[amd64] pushed by digest",
      "[amd64] cache exported",
      "[amd64] IN_PROGRESS",
      "[amd64] SUCCEEDED",
    ]);
    expect(of("arm64")).toEqual([
      "[arm64] IN_PROGRESS",
      "[arm64] building linux/arm64",
      "[arm64] step 2/2",
      "[arm64] SUCCEEDED",
    ]);
    expect(of("index")).toEqual(["[index] assembling index", "[index] SUCCEEDED"]);
    const tokens = cloudwatch
      .commandCalls(GetLogEventsCommand)
      .map((call) => call.args[0].input)
      .filter((input) => input.logStreamName === "amd64")
      .map((input) => input.nextToken);
    expect(tokens.slice(0, 3)).toEqual([undefined, "f/1", "f/2"]);
    expect(
      cloudwatch.commandCalls(GetLogEventsCommand).every((call) => call.args[0].input.startFromHead === true),
    ).toBe(true);
    expect(await readFile(output, "utf8")).toBe(`batch-id=${BATCH}\ndigest=${DIGEST}\n`);
    expect(await readFile(summary, "utf8")).toContain(DIGEST);
    // Each call is one the deployed release role allows (test/iam).
    await expectCallsAllowed(releaseCalls(sentCommands(codebuild, cloudwatch), BUILD_NAMES), BUILD_CONFIG);
  });

  it("exits 1 and says which job failed and why", async () => {
    codebuild
      .on(StartBuildBatchCommand)
      .resolves({ buildBatch: batch("IN_PROGRESS", ["amd64", "arm64"]).buildBatches[0] });
    codebuild.on(BatchGetBuildBatchesCommand).resolves(batch("FAILED", ["amd64", "arm64"]));
    codebuild.on(BatchGetBuildsCommand).resolves({
      builds: [
        build("amd64", "SUCCEEDED"),
        build("arm64", "FAILED", {
          phases: [
            {
              phaseType: "BUILD",
              phaseStatus: "FAILED",
              contexts: [
                {
                  statusCode: "COMMAND_EXECUTION_ERROR",
                  message: "Error while executing command: bash build.sh image. Reason: exit status 1",
                },
              ],
            },
          ],
        }),
      ],
    });
    serveLogs({ arm64: [["ERROR: failed to solve\n"]] });
    const io = captureIo({ env: githubEnv });
    expect(await main(args, io)).toBe(1);
    expect(io.out()).toBe("");
    expect(io.err()).toContain("[arm64] ERROR: failed to solve");
    expect(io.err()).toMatch(
      /batch .* FAILED:\n {2}arm64: FAILED; BUILD FAILED: Error while executing command: bash build\.sh image/,
    );
  });

  it("exits 1 when the batch was stopped", async () => {
    codebuild
      .on(StartBuildBatchCommand)
      .resolves({ buildBatch: batch("IN_PROGRESS", ["amd64"]).buildBatches[0] });
    codebuild.on(BatchGetBuildBatchesCommand).resolves(batch("STOPPED", ["amd64"]));
    codebuild.on(BatchGetBuildsCommand).resolves({ builds: [build("amd64", "STOPPED")] });
    serveLogs({});
    const io = captureIo({ env: githubEnv });
    expect(await main(args, io)).toBe(1);
    expect(io.err()).toMatch(/was stopped:\n {2}amd64: STOPPED/);
  });

  it("exits 1 when the batch hits its build timeout", async () => {
    codebuild
      .on(StartBuildBatchCommand)
      .resolves({ buildBatch: batch("IN_PROGRESS", ["amd64"]).buildBatches[0] });
    codebuild.on(BatchGetBuildBatchesCommand).resolves(batch("TIMED_OUT", ["amd64"]));
    codebuild.on(BatchGetBuildsCommand).resolves({ builds: [build("amd64", "TIMED_OUT")] });
    serveLogs({});
    const io = captureIo({ env: githubEnv });
    expect(await main(args, io)).toBe(1);
    expect(io.err()).toMatch(/hit the project's build timeout/);
  });

  it("exits 1 when the batch succeeded without exporting a valid index digest", async () => {
    codebuild
      .on(StartBuildBatchCommand)
      .resolves({ buildBatch: batch("IN_PROGRESS", ["index"]).buildBatches[0] });
    codebuild.on(BatchGetBuildBatchesCommand).resolves(batch("SUCCEEDED", ["index"]));
    codebuild.on(BatchGetBuildsCommand).resolves({
      builds: [
        build("index", "SUCCEEDED", {
          exportedEnvironmentVariables: [{ name: "PORTCULLIS_INDEX_DIGEST", value: "sha256:abc" }],
        }),
      ],
    });
    serveLogs({});
    const io = captureIo({ env: githubEnv });
    expect(await main(args, io)).toBe(1);
    expect(io.err()).toMatch(/PORTCULLIS_INDEX_DIGEST "sha256:abc" must have 64 hex characters/);
  });

  it.each([
    [[], /--project must name a CodeBuild project/],
    [["--project", "p!"], /--project must name/],
    [
      ["--project", "web", "--source-version", "0123abc", "--ref", "refs/heads/main"],
      /source-version: "0123abc" must be a full 40-character/,
    ],
    [
      ["--project", "web", "--source-version", COMMIT, "--ref", "refs/pull/7/merge"],
      /ref: "refs\/pull\/7\/merge" is a pull-request ref/,
    ],
    [["--project", "web", "--source-version", COMMIT, "--ref", "main"], /a bare name is ambiguous/],
    [
      ["--project", "web", "--source-version", COMMIT, "--ref", "refs/heads/main", "--timeout", "0"],
      /--timeout must be/,
    ],
    [
      ["--project", "web", "--source-version", COMMIT, "--ref", "refs/heads/main", "--region", "eu-west"],
      /--region must be/,
    ],
  ])("refuses %j with exit 2 before calling AWS", async (extra, message) => {
    const io = captureIo();
    expect(await main(["build", "start", ...extra], io)).toBe(2);
    expect(io.err()).toMatch(message);
    expect(codebuild.calls()).toHaveLength(0);
  });

  it("refuses an unknown subcommand", async () => {
    const io = captureIo();
    expect(await main(["build", "stop"], io)).toBe(2);
    expect(io.err()).toMatch(/use build start/);
  });

  it("refuses bad input from the package bin too, without touching the network", async () => {
    const failed = await promisify(execFile)(
      process.execPath,
      [
        "bin/portcullis.js",
        "build",
        "start",
        "--project",
        "web",
        "--source-version",
        "HEAD",
        "--ref",
        "refs/heads/main",
      ],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? "" },
      },
    ).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed?.code).toBe(2);
    expect(failed?.stderr).toMatch(/source-version: "HEAD" must be a full 40-character/);
  });
});
