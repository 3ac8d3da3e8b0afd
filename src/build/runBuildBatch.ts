import type { WaitingClock } from "../core/Clock.ts";
import { type Digest, parseDigest } from "../core/digest.ts";
import type { EnvironmentOverride } from "./buildEnvironment.ts";
import { followLog, type LogPosition } from "./followLog.ts";
import type { BatchSnapshot, BuildBatchApi, BuildSnapshot, BuildStatus, LogApi } from "./ports.ts";

/** The exported variable the index job sets to the digest of the index it pushed. */
export const INDEX_DIGEST_VARIABLE = "PORTCULLIS_INDEX_DIGEST";

/** What {@link runBuildBatch} starts and how long it waits. */
export interface RunBuildBatchOptions {
  readonly project: string;
  /** Full commit id, the batch's source version. */
  readonly commit: string;
  readonly environment: readonly EnvironmentOverride[];
  /** Give up waiting after this long (the batch keeps running; its own timeout still applies). */
  readonly timeoutMs: number;
  readonly pollMs: number;
  /** Receives each log line of each job, prefixed with the job (`[arm64] …`), and status changes. */
  readonly print: (line: string) => void;
}

/** The ports {@link runBuildBatch} uses. */
export interface RunBuildBatchPorts {
  readonly batches: BuildBatchApi;
  readonly logs: LogApi;
  readonly clock: WaitingClock;
}

/** How a batch ended, as data; the CLI turns it into an exit code. */
export type BuildBatchOutcome =
  | { readonly kind: "succeeded"; readonly batchId: string; readonly indexDigest: Digest }
  | {
      readonly kind: "failed";
      readonly batchId: string;
      readonly status: BuildStatus;
      readonly reasons: readonly string[];
    }
  | { readonly kind: "stopped"; readonly batchId: string; readonly reasons: readonly string[] }
  | {
      readonly kind: "timed-out";
      readonly batchId: string;
      /** `codebuild`: the batch hit its own timeout. `wait`: we stopped waiting; the batch may still run. */
      readonly by: "codebuild" | "wait";
      readonly waitedMs: number;
    };

/**
 * Starts a batch build of a commit, streams the CloudWatch logs of every job as they appear (paging each
 * stream with its forward token), waits for the batch to end and reads the index digest the index job
 * exported. A succeeded batch without a valid digest counts as failed: nothing can be gated without it.
 * @example
 * const outcome = await runBuildBatch({ project, commit, environment, timeoutMs, pollMs: 5000, print: console.error },
 *   { batches: awsBuildBatchApi(codebuild), logs: awsLogApi(cloudwatch), clock: systemClock });
 */
export async function runBuildBatch(
  options: RunBuildBatchOptions,
  ports: RunBuildBatchPorts,
): Promise<BuildBatchOutcome> {
  const started = ports.clock.now().getTime();
  let batch = await ports.batches.start({
    project: options.project,
    sourceVersion: options.commit,
    environment: options.environment,
  });
  options.print(`started batch ${batch.id}`);
  const watcher = new BatchWatcher(ports.logs, options.print);
  for (;;) {
    const builds = await ports.batches.builds(buildIds(batch));
    await watcher.update(batch, builds);
    if (batch.status !== "IN_PROGRESS") {
      // CloudWatch delivers the last lines a little after the build ends: read once more before deciding.
      await ports.clock.sleep(options.pollMs);
      const final = await ports.batches.builds(buildIds(batch));
      await watcher.update(batch, final);
      return decide(batch, final, ports.clock.now().getTime() - started);
    }
    const waited = ports.clock.now().getTime() - started;
    if (waited >= options.timeoutMs)
      return { kind: "timed-out", batchId: batch.id, by: "wait", waitedMs: waited };
    await ports.clock.sleep(options.pollMs);
    batch = await ports.batches.batch(batch.id);
  }
}

function buildIds(batch: BatchSnapshot): string[] {
  return batch.jobs.flatMap((job) => (job.buildId ? [job.buildId] : []));
}

/** Follows every job's log stream and reports each job's status changes. */
class BatchWatcher {
  readonly #positions = new Map<string, LogPosition>();
  readonly #statuses = new Map<string, BuildStatus>();

  constructor(
    private readonly logs: LogApi,
    private readonly print: (line: string) => void,
  ) {}

  async update(batch: BatchSnapshot, builds: readonly BuildSnapshot[]): Promise<void> {
    for (const build of builds) {
      const job = jobOf(batch, build.id);
      await this.#stream(job, build);
      if (this.#statuses.get(build.id) !== build.status) {
        this.#statuses.set(build.id, build.status);
        this.print(`[${job}] ${build.status}`);
      }
    }
  }

  async #stream(job: string, build: BuildSnapshot): Promise<void> {
    if (build.logs === undefined) return;
    let position = this.#positions.get(build.id);
    if (position === undefined) {
      position = { group: build.logs.group, stream: build.logs.stream };
      this.#positions.set(build.id, position);
    }
    for (const message of await followLog(this.logs, position)) {
      for (const line of message.replace(/\r?\n$/, "").split(/\r?\n/)) this.print(`[${job}] ${line}`);
    }
  }
}

function jobOf(batch: BatchSnapshot, buildId: string): string {
  return batch.jobs.find((job) => job.buildId === buildId)?.identifier ?? buildId;
}

function decide(batch: BatchSnapshot, builds: readonly BuildSnapshot[], waitedMs: number): BuildBatchOutcome {
  const reasons = builds
    .filter((build) => build.status !== "SUCCEEDED")
    .map((build) => [`${jobOf(batch, build.id)}: ${build.status}`, ...build.failures].join("; "));
  switch (batch.status) {
    case "SUCCEEDED":
      return indexDigest(batch, builds);
    case "STOPPED":
      return { kind: "stopped", batchId: batch.id, reasons };
    case "TIMED_OUT":
      return { kind: "timed-out", batchId: batch.id, by: "codebuild", waitedMs };
    default:
      return { kind: "failed", batchId: batch.id, status: batch.status, reasons };
  }
}

function indexDigest(batch: BatchSnapshot, builds: readonly BuildSnapshot[]): BuildBatchOutcome {
  const exported = builds.map((build) => build.exported[INDEX_DIGEST_VARIABLE]).filter((value) => value);
  if (exported.length !== 1) {
    const reason =
      exported.length === 0
        ? `the batch succeeded but no job exported ${INDEX_DIGEST_VARIABLE}`
        : `more than one job exported ${INDEX_DIGEST_VARIABLE}: ${exported.join(", ")}`;
    return { kind: "failed", batchId: batch.id, status: batch.status, reasons: [reason] };
  }
  const digest = parseDigest(exported[0], INDEX_DIGEST_VARIABLE);
  if (!digest.ok)
    return {
      kind: "failed",
      batchId: batch.id,
      status: batch.status,
      reasons: [`${INDEX_DIGEST_VARIABLE} ${JSON.stringify(exported[0])} ${digest.error[0]?.message}`],
    };
  return { kind: "succeeded", batchId: batch.id, indexDigest: digest.value };
}
