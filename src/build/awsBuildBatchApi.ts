import {
  BatchGetBuildBatchesCommand,
  BatchGetBuildsCommand,
  type Build,
  type BuildBatch,
  type CodeBuildClient,
  StartBuildBatchCommand,
} from "@aws-sdk/client-codebuild";
import { BatchMissingError } from "./errors.ts";
import type { BatchSnapshot, BuildBatchApi, BuildSnapshot, BuildStatus } from "./ports.ts";

/**
 * The CodeBuild adapter of {@link BuildBatchApi}: StartBuildBatch, BatchGetBuildBatches, BatchGetBuilds.
 * @example const api = awsBuildBatchApi(new CodeBuildClient({}));
 */
export function awsBuildBatchApi(client: CodeBuildClient): BuildBatchApi {
  return {
    async start(request) {
      const out = await client.send(
        new StartBuildBatchCommand({
          projectName: request.project,
          sourceVersion: request.sourceVersion,
          environmentVariablesOverride: request.environment.map((variable) => ({ ...variable })),
        }),
      );
      if (!out.buildBatch?.id) throw new BatchMissingError(`starting a batch of ${request.project}`);
      return toBatch(out.buildBatch);
    },
    async batch(id) {
      const out = await client.send(new BatchGetBuildBatchesCommand({ ids: [id] }));
      const batch = out.buildBatches?.[0];
      if (!batch?.id) throw new BatchMissingError("reading a batch", id);
      return toBatch(batch);
    },
    async builds(ids) {
      if (ids.length === 0) return [];
      const out = await client.send(new BatchGetBuildsCommand({ ids: [...ids] }));
      return (out.builds ?? []).filter((build) => build.id !== undefined).map(toBuild);
    },
  };
}

/** The build id (`project:uuid`) in a build ARN; CodeBuild's build summaries carry ARNs. */
export function buildIdFromArn(arn: string): string {
  const marker = ":build/";
  const at = arn.indexOf(marker);
  return at === -1 ? arn : arn.slice(at + marker.length);
}

function toBatch(batch: BuildBatch): BatchSnapshot {
  return {
    id: batch.id ?? "",
    status: status(batch.buildBatchStatus),
    jobs: (batch.buildGroups ?? []).map((group) => {
      const arn = group.currentBuildSummary?.arn;
      return { identifier: group.identifier ?? "?", ...(arn ? { buildId: buildIdFromArn(arn) } : {}) };
    }),
  };
}

function toBuild(build: Build): BuildSnapshot {
  const { groupName, streamName } = build.logs ?? {};
  return {
    id: build.id ?? "",
    status: status(build.buildStatus),
    ...(groupName && streamName ? { logs: { group: groupName, stream: streamName } } : {}),
    exported: Object.fromEntries(
      (build.exportedEnvironmentVariables ?? []).map((variable) => [
        variable.name ?? "",
        variable.value ?? "",
      ]),
    ),
    failures: (build.phases ?? [])
      .filter((phase) => phase.phaseStatus !== undefined && phase.phaseStatus !== "SUCCEEDED")
      .flatMap((phase) =>
        (phase.contexts ?? []).map((context) =>
          `${phase.phaseType ?? "phase"} ${phase.phaseStatus}: ${context.message ?? context.statusCode ?? ""}`.trim(),
        ),
      ),
  };
}

function status(value: string | undefined): BuildStatus {
  const known: BuildStatus[] = ["IN_PROGRESS", "SUCCEEDED", "FAILED", "FAULT", "STOPPED", "TIMED_OUT"];
  return known.includes(value as BuildStatus) ? (value as BuildStatus) : "IN_PROGRESS";
}
