import { appendFile } from "node:fs/promises";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { CodeBuildClient } from "@aws-sdk/client-codebuild";
import { awsBuildBatchApi } from "../../build/awsBuildBatchApi.ts";
import { awsLogApi } from "../../build/awsLogApi.ts";
import { buildEnvironment } from "../../build/buildEnvironment.ts";
import { type BuildBatchOutcome, runBuildBatch } from "../../build/runBuildBatch.ts";
import { isAwsRegion } from "../../config/awsRegion.ts";
import { systemClock } from "../../core/Clock.ts";
import { formatIssues } from "../../core/formatIssue.ts";
import { type Command, type CommandIo, ExitCode, UsageError } from "../Command.ts";
import { parseArgsOrUsage } from "../parseArgsOrUsage.ts";

const usage = `Usage: portcullis build start --project NAME [--source-version SHA] [--ref REF] [--source-url URL]
                              [--region REGION] [--timeout MINUTES] [--poll SECONDS]

Starts the CodeBuild batch build of a commit (StartBuildBatch: amd64 and arm64 natively, then the
index), streams the logs of every job, waits, and prints the index digest on stdout. The commit and the
git ref are passed to the build as PORTCULLIS_COMMIT / PORTCULLIS_REF and end up as OCI annotations.
(aws-actions/aws-codebuild-run-build cannot start batch builds.)

  --project         the CodeBuild project (the Build stack's output for the repository)
  --source-version  full 40-hex commit id (default: $GITHUB_SHA)
  --ref             refs/heads/<branch> or refs/tags/<tag> (default: $GITHUB_REF)
  --source-url      repository URL (default: $GITHUB_SERVER_URL/$GITHUB_REPOSITORY)
  --region          AWS region (default: the SDK's, e.g. $AWS_REGION)
  --timeout         minutes to wait before giving up (default 120; the batch keeps its own timeout)
  --poll            seconds between status and log polls (default 5)

In GitHub Actions the digest and batch id are also written to $GITHUB_OUTPUT (digest, batch-id) and a
summary to $GITHUB_STEP_SUMMARY. Exit 0 when the batch succeeded with a digest, 1 when it failed, was
stopped or timed out, 2 on bad input.`;

const options = {
  project: { type: "string" },
  "source-version": { type: "string" },
  ref: { type: "string" },
  "source-url": { type: "string" },
  region: { type: "string" },
  timeout: { type: "string" },
  poll: { type: "string" },
} as const;

/** `portcullis build start`: starts a batch build, streams its logs, prints the index digest. */
export const command: Command = {
  name: "build",
  summary: "Start the CodeBuild batch build of a commit, stream its logs, print the index digest",
  usage,
  async run(argv, io) {
    const [sub, ...rest] = argv;
    if (sub !== "start")
      throw new UsageError(`unknown subcommand ${JSON.stringify(sub ?? "")}: use build start`);
    const { outcome, project } = await startBuild(rest, io.env, (line) => io.stderr(`${line}\n`));
    io.stderr(describeOutcome(outcome));
    if (outcome.kind === "succeeded") io.stdout(`${outcome.indexDigest}\n`);
    await writeActionsOutputs(outcome, project, io.env);
    return outcome.kind === "succeeded" ? ExitCode.Ok : ExitCode.Failed;
  },
};

/**
 * `build start`'s options parsed (UsageError on bad input, before any AWS call), the batch run against AWS,
 * its log lines sent to `print`. The CLI and the GitHub Action (src/action) both run builds through it.
 * @example const { outcome } = await startBuild(["--project", "web"], process.env, console.error);
 */
export async function startBuild(
  argv: readonly string[],
  env: CommandIo["env"],
  print: (line: string) => void,
): Promise<{ readonly outcome: BuildBatchOutcome; readonly project: string }> {
  const request = parseRequest(argv, env);
  const outcome = await runBuildBatch(
    { ...request, print },
    {
      batches: awsBuildBatchApi(new CodeBuildClient({ region: request.region })),
      logs: awsLogApi(new CloudWatchLogsClient({ region: request.region })),
      clock: systemClock,
    },
  );
  return { outcome, project: request.project };
}

function parseRequest(argv: readonly string[], env: CommandIo["env"]) {
  const values = parseArgsOrUsage({ args: [...argv], options, allowPositionals: false, strict: true }).values;
  const project = values.project;
  if (!project || !/^[A-Za-z0-9][A-Za-z0-9_-]{1,254}$/.test(project))
    throw new UsageError(`--project must name a CodeBuild project, not ${JSON.stringify(project ?? "")}`);
  if (values.region !== undefined && !isAwsRegion(values.region))
    throw new UsageError(`--region must be an AWS region name, not ${JSON.stringify(values.region)}`);
  const commit = values["source-version"] ?? env.GITHUB_SHA ?? "";
  const repository =
    env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY
      ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}`
      : undefined;
  const environment = buildEnvironment({
    commit,
    ref: values.ref ?? env.GITHUB_REF ?? "",
    sourceUrl: values["source-url"] ?? repository,
    runUrl: repository && env.GITHUB_RUN_ID ? `${repository}/actions/runs/${env.GITHUB_RUN_ID}` : undefined,
  });
  if (!environment.ok) throw new UsageError(formatIssues(environment.error));
  return {
    project,
    commit,
    region: values.region,
    environment: environment.value,
    timeoutMs: minutes(values.timeout ?? "120", "--timeout") * 60_000,
    pollMs: seconds(values.poll ?? "5", "--poll") * 1000,
  };
}

function minutes(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > 2160)
    throw new UsageError(`${flag} must be 1–2160 minutes, not ${JSON.stringify(text)}`);
  return value;
}

function seconds(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0 || value > 300)
    throw new UsageError(`${flag} must be 0–300 seconds, not ${JSON.stringify(text)}`);
  return value;
}

/** What became of the batch, in a line or a few (the failure reasons), ending with a newline. */
export function describeOutcome(outcome: BuildBatchOutcome): string {
  const reasons = (list: readonly string[]) => list.map((r) => `  ${r}\n`).join("");
  switch (outcome.kind) {
    case "succeeded":
      return `batch ${outcome.batchId} succeeded: index ${outcome.indexDigest}\n`;
    case "failed":
      return `batch ${outcome.batchId} ${outcome.status}:\n${reasons(outcome.reasons)}`;
    case "stopped":
      return `batch ${outcome.batchId} was stopped${outcome.reasons.length ? `:\n${reasons(outcome.reasons)}` : "\n"}`;
    case "timed-out":
      return outcome.by === "wait"
        ? `gave up waiting for batch ${outcome.batchId} after ${Math.round(outcome.waitedMs / 60_000)} min; it may still be running\n`
        : `batch ${outcome.batchId} hit the project's build timeout\n`;
  }
}

/** In GitHub Actions: the digest and batch id to $GITHUB_OUTPUT, a summary to $GITHUB_STEP_SUMMARY. */
export async function writeActionsOutputs(
  outcome: BuildBatchOutcome,
  project: string,
  env: CommandIo["env"],
): Promise<void> {
  const { GITHUB_OUTPUT, GITHUB_STEP_SUMMARY } = env;
  const digest = outcome.kind === "succeeded" ? outcome.indexDigest : "";
  if (GITHUB_OUTPUT) await appendFile(GITHUB_OUTPUT, `batch-id=${outcome.batchId}\ndigest=${digest}\n`);
  if (GITHUB_STEP_SUMMARY) {
    const result = outcome.kind === "succeeded" ? `index \`${digest}\`` : `**${outcome.kind}**`;
    await appendFile(
      GITHUB_STEP_SUMMARY,
      `### Portcullis build\n\n${project}, batch \`${outcome.batchId}\`: ${result}\n`,
    );
  }
}
