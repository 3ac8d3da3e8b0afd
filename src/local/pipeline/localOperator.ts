import { join } from "node:path";
import { formatIssues } from "../../core/formatIssue.ts";
import { resolveSettings } from "../../handlers/edge/handlerSettings.ts";
import type { RollbackContext } from "../../handlers/rollback/rollbackRelease.ts";
import { settingsFromConfig } from "../../handlers/settingsFromConfig.ts";
import { renderHistory } from "../../operator/historyView.ts";
import { readHistory } from "../../operator/readHistory.ts";
import { readStatus } from "../../operator/readStatus.ts";
import { renderStatus } from "../../operator/statusView.ts";
import { DynamoReleaseCatalog } from "../../store/index.ts";
import { BusEventPublisher } from "../adapters/BusEventPublisher.ts";
import { FileLog } from "../adapters/FileLog.ts";
import { previewSlackMessage } from "../adapters/FileSlackPoster.ts";
import { LocalFindingsSource } from "../adapters/LocalFindingsSource.ts";
import { inspectRegions } from "./inspectRegions.ts";
import type { RunSummary } from "./RunSummary.ts";
import type { RunScenarioOptions } from "./runScenario.ts";
import { type WiredPipeline, wirePipeline } from "./wirePipeline.ts";

/** The services and the two promoted releases a local operation works on. */
export interface LocalOperationOptions
  extends Pick<RunScenarioOptions, "services" | "config" | "scenario" | "account" | "destinations"> {
  readonly first: RunSummary;
  readonly second: RunSummary;
}

/** What a local operation found wrong, and its output (the operator commands' own rendering). */
export interface LocalOperation {
  readonly problems: readonly string[];
  readonly text: string;
}

/** The pipeline wired afresh over the same services, and the operator's ports over it. */
export interface OperatorWiring {
  readonly wired: WiredPipeline;
  readonly ctx: RollbackContext;
  readonly repository: string;
}

/**
 * Wires the handlers again over the running services (findings from `findingsFolder`, default the
 * scenario's), and the ports `portcullis rollback`, `status` and `history` use, as the CLI builds them for AWS.
 * @example const { wired, ctx } = operatorWiring(options); try { … } finally { wired.close(); }
 */
export function operatorWiring(options: LocalOperationOptions, findingsFolder?: string): OperatorWiring {
  const { services, config, account } = options;
  const repository = options.second.image.repository;
  const scenario = { ...options.scenario, folder: findingsFolder ?? options.scenario.folder };
  const dynamo = { client: services.dynamo.client, tableName: services.dynamo.tableName };
  const logFile = join(services.layout.logs, "operator.log");
  const wired = wirePipeline({
    config,
    repository,
    scenario,
    hosts: services.hosts,
    dynamo,
    account,
    logFile,
    reportsDir: services.layout.reports,
    ...(options.destinations && { destinations: options.destinations }),
  });
  const ctx: RollbackContext = {
    store: wired.pipeline.parts.store,
    catalog: new DynamoReleaseCatalog(dynamo),
    registry: wired.registries,
    findings: new LocalFindingsSource({ folder: scenario.folder, account }),
    events: new BusEventPublisher(wired.pipeline.parts.bus),
    notifications: wired.topic,
    clock: wired.pipeline.parts.clock,
    log: new FileLog(logFile, "operator"),
    metrics: wired.metrics,
    settings: resolveSettings({
      ...settingsFromConfig(config, { account, policy: scenario.policy }),
      repositories: [repository],
    }),
  };
  return { wired, ctx, repository };
}

/**
 * The last Slack message (preview) and every region's tags read back from its registry, checked against
 * `expected` (tag → digest); a tag elsewhere is a problem naming the region, the tag and both digests.
 */
export async function readBackEverywhere(
  { wired, repository }: OperatorWiring,
  options: LocalOperationOptions,
  expected: Readonly<Record<string, string>>,
): Promise<LocalOperation> {
  const text: string[] = [];
  const problems: string[] = [];
  const slack = wired.destinations.preview?.messages.at(-1);
  if (slack) text.push("", `Slack (${slack.file}):`, previewSlackMessage(slack.message).trimEnd());
  const regions = [options.config.primaryRegion, ...options.config.replicaRegions];
  const readBack = await inspectRegions(wired.registries, regions, repository);
  text.push("", "Read back from each registry:");
  for (const region of readBack) {
    const shown = Object.keys(expected).map(
      (tag) => `${tag} → ${region.tags[tag]?.slice(0, 19) ?? "(none)"}`,
    );
    text.push(`  ${region.region.padEnd(16)}${shown.join(", ")}${region.error ? ` (${region.error})` : ""}`);
    for (const [tag, digest] of Object.entries(expected))
      if (region.tags[tag] !== digest)
        problems.push(`${region.region}: ${tag} points at ${region.tags[tag] ?? "nothing"}, not ${digest}`);
  }
  return { problems, text: text.join("\n") };
}

/** `portcullis status REPOSITORY` and `portcullis history REPOSITORY TAG`, as the CLI renders them. */
export async function statusAndHistory(
  { ctx, repository }: OperatorWiring,
  tag: string,
): Promise<LocalOperation> {
  const problems: string[] = [];
  const text = ["", `$ portcullis status ${repository}`];
  const status = await readStatus(ctx, { repository }, 10);
  if (status.ok) text.push(renderStatus(status.value).trimEnd());
  else problems.push(`status: ${formatIssues(status.error)}`);
  text.push("", `$ portcullis history ${repository} ${tag}`);
  const history = await readHistory(ctx, repository, tag);
  if (history.ok) text.push(renderHistory(history.value.view).trimEnd());
  else problems.push(`history: ${formatIssues(history.error)}`);
  return { problems, text: text.join("\n") };
}

/** The release's exact version tag (`1.0.0`): the promoted tag that is neither `latest` nor a branch. */
export function versionTag(report: RunSummary): string {
  return report.promotedTags.find((tag) => /^\d/.test(tag)) ?? report.image.buildTag;
}

/** The parts of an operation, joined. */
export function joinOperation(...parts: readonly LocalOperation[]): LocalOperation {
  return {
    problems: parts.flatMap((p) => p.problems),
    text: `${parts
      .map((p) => p.text)
      .filter(Boolean)
      .join("\n")}\n`,
  };
}
