import { join } from "node:path";
import { formatIssues } from "../../core/formatIssue.ts";
import { resolveSettings } from "../../handlers/edge/handlerSettings.ts";
import {
  type RollbackContext,
  type RollbackOrder,
  RollbackRefusedError,
  rollbackRelease,
} from "../../handlers/rollback/rollbackRelease.ts";
import { settingsFromConfig } from "../../handlers/settingsFromConfig.ts";
import { renderHistory } from "../../operator/historyView.ts";
import { readHistory } from "../../operator/readHistory.ts";
import { readStatus } from "../../operator/readStatus.ts";
import { renderRollback } from "../../operator/renderRollback.ts";
import { renderStatus } from "../../operator/statusView.ts";
import { DynamoReleaseCatalog } from "../../store/index.ts";
import { FileLog } from "../adapters/FileLog.ts";
import { previewSlackMessage } from "../adapters/FileSlackPoster.ts";
import { LocalFindingsSource } from "../adapters/LocalFindingsSource.ts";
import { inspectRegions } from "./inspectRegions.ts";
import type { RunReport } from "./RunReport.ts";
import type { RunScenarioOptions } from "./runScenario.ts";
import { wirePipeline } from "./wirePipeline.ts";

/** The services and the two promoted releases a local operation works on. */
export interface LocalOperationOptions
  extends Pick<RunScenarioOptions, "services" | "config" | "scenario" | "account" | "destinations"> {
  readonly first: RunReport;
  readonly second: RunReport;
}

/** What a local operation found wrong, and its output (the operator commands' own rendering). */
export interface LocalOperation {
  readonly problems: readonly string[];
  readonly text: string;
}

const REASON = "local scenario: v1.1.0 misbehaves, latest goes back to v1.0.0";

/**
 * `portcullis rollback REPOSITORY --to previous --tags latest` against the local services, through the same
 * rollbackRelease the CLI runs (the notification goes to the local topic and the notify handler), then every
 * region read back: `latest` must be on the first release in all of them, each release's own version tag on
 * itself. Shows `portcullis status` and `portcullis history REPOSITORY latest` as the CLI renders them.
 * @example const { problems, text } = await rollbackLocally({ services, config, scenario, account, first, second })
 */
export async function rollbackLocally(options: LocalOperationOptions): Promise<LocalOperation> {
  const { services, config, scenario, account, first, second } = options;
  const repository = second.image.repository;
  const dynamo = { client: services.dynamo.client, tableName: services.dynamo.tableName };
  const wired = wirePipeline({
    config,
    repository,
    scenario,
    hosts: services.hosts,
    dynamo,
    account,
    logFile: join(services.layout.logs, "operator.log"),
    reportsDir: services.layout.reports,
    ...(options.destinations && { destinations: options.destinations }),
  });
  try {
    const ctx: RollbackContext = {
      store: wired.pipeline.parts.store,
      catalog: new DynamoReleaseCatalog(dynamo),
      registry: wired.registries,
      findings: new LocalFindingsSource({ folder: scenario.folder, account }),
      notifications: wired.topic,
      clock: wired.pipeline.parts.clock,
      log: new FileLog(join(services.layout.logs, "operator.log"), "operator"),
      metrics: wired.metrics,
      settings: resolveSettings({
        ...settingsFromConfig(config, { account, policy: scenario.policy }),
        repositories: [repository],
      }),
    };
    const order: RollbackOrder = {
      repository,
      to: { kind: "previous" },
      tags: ["latest"],
      reason: REASON,
      by: "portcullis local",
      force: false,
    };
    const text = [`\n$ portcullis rollback ${repository} --to previous --tags latest --reason "${REASON}"`];
    const problems: string[] = [];
    try {
      const outcome = await rollbackRelease(ctx, order);
      text.push(renderRollback(outcome, REASON).trimEnd());
      if (outcome.to !== first.image.digest)
        problems.push(`rollback went to ${outcome.to}, not to the first release ${first.image.digest}`);
    } catch (error) {
      if (!(error instanceof RollbackRefusedError)) throw error;
      problems.push(`the rollback was refused: ${formatIssues(error.issues)}`);
    }
    await wired.pipeline.settle();
    const slack = wired.destinations.preview?.messages.at(-1);
    if (slack) text.push("", `Slack (${slack.file}):`, previewSlackMessage(slack.message).trimEnd());
    const regions = [config.primaryRegion, ...config.replicaRegions];
    const readBack = await inspectRegions(wired.registries, regions, repository);
    text.push("", "Read back from each registry:");
    const expected: Record<string, string> = {
      latest: first.image.digest,
      [versionTag(first)]: first.image.digest,
      [versionTag(second)]: second.image.digest,
    };
    for (const region of readBack) {
      const shown = Object.keys(expected).map(
        (tag) => `${tag} → ${region.tags[tag]?.slice(0, 19) ?? "(none)"}`,
      );
      text.push(
        `  ${region.region.padEnd(16)}${shown.join(", ")}${region.error ? ` (${region.error})` : ""}`,
      );
      for (const [tag, digest] of Object.entries(expected))
        if (region.tags[tag] !== digest)
          problems.push(`${region.region}: ${tag} points at ${region.tags[tag] ?? "nothing"}, not ${digest}`);
    }
    const status = await readStatus(ctx, { repository }, 10);
    text.push("", `$ portcullis status ${repository}`, status.ok ? renderStatus(status.value).trimEnd() : "");
    if (!status.ok) problems.push(`status: ${formatIssues(status.error)}`);
    const history = await readHistory(ctx, repository, "latest");
    text.push("", `$ portcullis history ${repository} latest`);
    if (history.ok) text.push(renderHistory(history.value.view).trimEnd());
    else problems.push(`history: ${formatIssues(history.error)}`);
    return { problems, text: `${text.join("\n")}\n` };
  } finally {
    wired.close();
  }
}

/** The release's exact version tag (`1.0.0`): the promoted tag that is neither `latest` nor a branch. */
function versionTag(report: RunReport): string {
  return report.promotedTags.find((tag) => /^\d/.test(tag)) ?? report.image.buildTag;
}
