import { join } from "node:path";
import type { PortcullisConfig } from "../../config/index.ts";
import type { NotifyOutcome } from "../../handlers/createNotifyHandler.ts";
import type { ReportResult } from "../../handlers/createReportHandler.ts";
import { LocalRegistryDirectory } from "../adapters/LocalRegistryDirectory.ts";
import type { ReportDestinations } from "../adapters/reportDestinations.ts";
import type { BuiltImage } from "../build/BuiltImage.ts";
import { codeBuildEvent, newBuildId } from "../build/codeBuildEvent.ts";
import type { BusEvent } from "../bus/LocalEventBus.ts";
import type { ScannedImage } from "../ecr/LocalEcr.ts";
import { PipelineProgress } from "../progress/PipelineProgress.ts";
import type { ProgressView } from "../progress/ProgressView.ts";
import type { Scenario } from "../scenario/loadScenario.ts";
import type { LocalServices } from "../services/LocalServices.ts";
import { notificationsDelivered, reportsDelivered } from "./deliveredReports.ts";
import { findProblems } from "./findProblems.ts";
import { inspectRegions } from "./inspectRegions.ts";
import type { RunReport } from "./RunReport.ts";
import { type WiredPipeline, type WirePipelineOptions, wirePipeline } from "./wirePipeline.ts";

/** The events AWS would send for a build: CodeBuild's start and end, the tag's PUSH, one scan per platform image. */
export interface EcrEvents {
  readonly push: BusEvent;
  readonly scans: readonly BusEvent[];
  /** CodeBuild's IN_PROGRESS and SUCCEEDED events of the build. */
  readonly build: readonly [BusEvent, BusEvent];
}

/** Options for {@link runScenario}. */
export interface RunScenarioOptions {
  readonly services: LocalServices;
  readonly config: PortcullisConfig;
  readonly image: BuiltImage;
  readonly scenario: Scenario;
  readonly account: string;
  /**
   * What reaches the bus, in what order (default: build started, the push, the scans, build succeeded).
   * Tests duplicate, shuffle or drop events here, as EventBridge's best-effort delivery may.
   */
  readonly arrange?: (events: EcrEvents) => readonly unknown[];
  /** Reconciler runs allowed after the events settle (default: enough to pass the policy's scan timeout). */
  readonly maxTicks?: number;
  readonly view?: ProgressView;
  /** Extra wiring (bus retries, replicate options, observers). */
  readonly wiring?: Partial<
    Pick<WirePipelineOptions, "bus" | "replicate" | "registryRetry" | "reconcileEveryMinutes">
  >;
  /** GitHub and Slack (default: check runs and Slack previews written to the state folder). */
  readonly destinations?: ReportDestinations;
  /** Called with the wired pipeline before any event is sent (tests stop registries, inspect state …). */
  readonly onWired?: (wired: WiredPipeline) => void | Promise<void>;
}

const EVERY_MINUTES = 5;
const PROVISIONING_NOTE =
  "replica repositories were created by the registries on first push (in AWS the replicate function creates them with the primary's settings)";
/** Reading the registries back: one quick retry, so a registry that is down is reported, not waited for. */
const INSPECT_RETRY = { retries: 1, baseDelayMs: 50, maxDelayMs: 100, maxRetryAfterMs: 0 };

/**
 * One pass of the pipeline over a built image: wires the handlers to the services, plays ECR's events onto
 * the bus, lets the reconciler's schedule run in simulated time until the candidate is finished, reads every
 * region back, and reports what happened and what broke.
 * @example const report = await runScenario({ services, config, image, scenario, account });
 */
export async function runScenario(options: RunScenarioOptions): Promise<RunReport> {
  const { services, config, image, scenario, view } = options;
  const everyMinutes = options.wiring?.reconcileEveryMinutes ?? EVERY_MINUTES;
  const published: BusEvent[] = [];
  const reportResults: ReportResult[] = [];
  const notifyOutcomes: NotifyOutcome[] = [];
  const progress =
    view && new PipelineProgress(view, { replicaRegions: config.replicaRegions, everyMinutes });
  const wired = wirePipeline({
    config,
    repository: image.repository,
    scenario,
    hosts: services.hosts,
    dynamo: { client: services.dynamo.client, tableName: services.dynamo.tableName },
    account: options.account,
    logFile: join(services.layout.logs, "pipeline.log"),
    reportsDir: services.layout.reports,
    ...(options.destinations && { destinations: options.destinations }),
    reconcileEveryMinutes: everyMinutes,
    bus: {
      ...options.wiring?.bus,
      onEvent: (event, rules) => {
        if (event.source === "portcullis") published.push(event);
        options.wiring?.bus?.onEvent?.(event, rules);
        progress?.onEvent(event, rules);
      },
      onDelivery: (outcome) => {
        if (outcome.kind === "succeeded" && outcome.rule === "report")
          reportResults.push(outcome.result as ReportResult);
        options.wiring?.bus?.onDelivery?.(outcome);
        progress?.onDelivery(outcome);
      },
    },
    ...(options.wiring?.replicate && { replicate: options.wiring.replicate }),
    ...(options.wiring?.registryRetry && { registryRetry: options.wiring.registryRetry }),
    onNotification: (delivery) => {
      if (delivery.ok) notifyOutcomes.push(...(delivery.result as NotifyOutcome[]));
      progress?.onNotification(delivery);
    },
  });
  try {
    await options.onWired?.(wired);
    const { pipeline } = wired;
    const platforms = await pipeline.parts.ecr.scannedImages(image.repository, image.digest);
    progress?.platforms(platforms);
    const events = {
      push: await pipeline.pushEvent(image.tag),
      scans: await pipeline.scanEvents(image.digest),
      build: buildEvents(options, pipeline.parts.clock.now()),
    };
    const [started, succeeded] = events.build;
    pipeline.deliver(
      options.arrange ? options.arrange(events) : [started, events.push, ...events.scans, succeeded],
    );
    const maxTicks = options.maxTicks ?? Math.ceil(scenario.policy.scan.timeoutMinutes / everyMinutes) + 3;
    const finish = await pipeline.finish(image.digest, {
      maxTicks,
      ...(progress && { onTick: progress.onTick }),
    });
    if (pipeline.parts.scheduler.ticks > 0)
      view?.done("reconcile", `${pipeline.parts.scheduler.ticks} run(s)`);
    progress?.finish();
    const state = await pipeline.candidate(image.digest);
    const regions = await readBack(services.hosts, image.repository);
    const facts = {
      scenario: scenarioFacts(scenario),
      image: { ...imageFacts(image), platforms },
      ...decisionOf(published),
      promotedTags: state?.phase === "promoted" ? state.promotion.tags : [],
      replicas: state?.phase === "promoted" ? state.replicas : {},
      regions,
      finish,
      reconcileRuns: pipeline.parts.scheduler.ticks,
      published,
      reports: reportsDelivered(wired.destinations, reportResults),
      notifications: notificationsDelivered(wired.destinations, notifyOutcomes),
      deadLetters: pipeline.parts.bus.deadLetters.map((letter) => ({
        rule: letter.rule,
        event: String(letter.event["detail-type"]),
        error: letter.error instanceof Error ? letter.error.message : String(letter.error),
      })),
    };
    const notes = [
      ...wired.destinations.notes,
      ...(state ? [] : ["the candidate was never stored"]),
      ...(facts.promotedTags.length > 0 ? [PROVISIONING_NOTE] : []),
    ];
    return { ...facts, problems: findProblems(facts), notes };
  } finally {
    wired.close();
  }
}

/** CodeBuild's start and success events for the build of the image. */
function buildEvents(options: RunScenarioOptions, now: Date): [BusEvent, BusEvent] {
  const { services, image, account } = options;
  const common = {
    account,
    region: options.config.primaryRegion,
    imageName: `${services.primary.host}/${image.repository}`,
    image,
    buildId: newBuildId(options.config.primaryRegion, account),
    logs: join(services.layout.logs, "build.log"),
  };
  return [
    codeBuildEvent({ ...common, status: "IN_PROGRESS", time: now }),
    codeBuildEvent({ ...common, status: "SUCCEEDED", time: now }),
  ];
}

/** Every region's tags, read through fresh clients that retry once (a registry down is reported, not awaited). */
async function readBack(hosts: Record<string, string>, repository: string) {
  const directory = new LocalRegistryDirectory({ hosts, retry: INSPECT_RETRY });
  try {
    return await inspectRegions(directory, Object.keys(hosts), repository);
  } finally {
    directory.close();
  }
}

/** The decision as the "Release Decided" event published it (the first: the handlers publish one). */
function decisionOf(published: readonly BusEvent[]): Pick<RunReport, "decision"> {
  const event = published.find((e) => e["detail-type"] === "Release Decided");
  if (!event) return {};
  const detail = event.detail as { outcome: "passed" | "failed" | "timed-out"; reasons?: string[] };
  return { decision: { outcome: detail.outcome, reasons: detail.reasons ?? [] } };
}

function scenarioFacts(scenario: Scenario): RunReport["scenario"] {
  return {
    name: scenario.name,
    ...(scenario.description !== undefined && { description: scenario.description }),
    ...(scenario.expect !== undefined && { expect: scenario.expect }),
    policyFile: scenario.policyFile,
  };
}

function imageFacts(image: BuiltImage): Omit<RunReport["image"], "platforms"> {
  return {
    repository: image.repository,
    buildTag: image.tag,
    digest: image.digest,
    commit: image.git.commit,
    ref: image.git.ref,
  };
}

export type { ScannedImage };
