import { dirname, join, relative, resolve } from "node:path";
import type { PortcullisConfig } from "../../config/index.ts";
import type { LocalAttestationKey } from "../adapters/localAttestationKey.ts";
import type { ReportDestinations } from "../adapters/reportDestinations.ts";
import type { BuiltImage } from "../build/BuiltImage.ts";
import { codeBuildEvent, newBuildId } from "../build/codeBuildEvent.ts";
import type { BusEvent } from "../bus/LocalEventBus.ts";
import { PipelineProgress } from "../progress/PipelineProgress.ts";
import type { ProgressView } from "../progress/ProgressView.ts";
import type { AfterPromotion, Scenario } from "../scenario/loadScenario.ts";
import type { LocalServices } from "../services/LocalServices.ts";
import { collectRunSummary } from "./collectRunSummary.ts";
import type { LocalPipeline } from "./LocalPipeline.ts";
import { RunRecorder } from "./RunRecorder.ts";
import type { RunSummary } from "./RunSummary.ts";
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
    Pick<WirePipelineOptions, "bus" | "replicate" | "registryRetry" | "reconcileEveryMinutes" | "ports">
  >;
  /** GitHub and Slack (default: check runs and Slack previews written to the state folder). */
  readonly destinations?: ReportDestinations;
  /** Called with the wired pipeline before any event is sent (tests stop registries, inspect state …). */
  readonly onWired?: (wired: WiredPipeline) => void | Promise<void>;
  /**
   * Ctrl-C: the bus and the topic take no more events and start no retries, the handlers in flight finish,
   * and the run rejects with the signal's reason (no handler is cut off mid-write).
   */
  readonly signal?: AbortSignal;
  /** Sign every decision with this key, and verify the attestation in every region after the run. */
  readonly attestation?: LocalAttestationKey;
}

const EVERY_MINUTES = 5;

/**
 * One pass of the pipeline over a built image: wires the handlers to the services, plays ECR's events onto
 * the bus, lets the reconciler's schedule run in simulated time until the candidate is finished, reads every
 * region back, and reports what happened and what broke.
 * @example const report = await runScenario({ services, config, image, scenario, account });
 */
export async function runScenario(options: RunScenarioOptions): Promise<RunSummary> {
  const { services, config, image, view } = options;
  const everyMinutes = options.wiring?.reconcileEveryMinutes ?? EVERY_MINUTES;
  const progress =
    view && new PipelineProgress(view, { replicaRegions: config.replicaRegions, everyMinutes });
  const recorder = new RunRecorder(progress, options.wiring?.bus);
  const wired = wirePipeline({
    ...options.wiring,
    config,
    repository: image.repository,
    scenario: options.scenario,
    hosts: services.hosts,
    dynamo: { client: services.dynamo.client, tableName: services.dynamo.tableName },
    account: options.account,
    logFile: join(services.layout.logs, "pipeline.log"),
    reportsDir: services.layout.reports,
    ...(options.destinations && { destinations: options.destinations }),
    reconcileEveryMinutes: everyMinutes,
    bus: recorder.bus(),
    onNotification: recorder.onNotification,
    ...(options.attestation && {
      signer: options.attestation.signer,
      verifyKey: `--key ${relative(dirname(services.layout.root), options.attestation.publicKeyFile)}`,
    }),
  });
  const { bus, topic } = wired.pipeline.parts;
  const stopDeliveries = () => {
    bus.close();
    topic.close();
  };
  options.signal?.addEventListener("abort", stopDeliveries, { once: true });
  try {
    await options.onWired?.(wired);
    const played = await play(wired.pipeline, options, everyMinutes, progress);
    return await collectRunSummary(wired, options, recorder, played);
  } finally {
    options.signal?.removeEventListener("abort", stopDeliveries);
    wired.close();
  }
}

/** Sends the build's events, then lets deliveries and the reconciler's schedule run until the candidate is done. */
async function play(
  pipeline: LocalPipeline,
  options: RunScenarioOptions,
  everyMinutes: number,
  progress: PipelineProgress | undefined,
) {
  const { image, scenario } = options;
  const platforms = await pipeline.parts.ecr.scannedImages(image.repository, image.digest);
  progress?.platforms(platforms);
  const events: EcrEvents = {
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
    ...(options.signal && { signal: options.signal }),
  });
  const after = scenario.afterPromotion;
  if (after && finish === "done" && (await pipeline.candidate(image.digest))?.phase === "promoted")
    await playAfterPromotion(pipeline, options, after);
  const ticks = pipeline.parts.scheduler.ticks;
  if (ticks > 0) options.view?.done("reconcile", `${ticks} run(s)`);
  progress?.finish();
  return { platforms, finish };
}

/**
 * What happens to the promoted image later: ECR answers from the scenario's `afterPromotion.findings` folder,
 * Inspector sends one `Inspector2 Finding`, then `advanceDays` of simulated time pass and the reconciler runs.
 */
async function playAfterPromotion(
  pipeline: LocalPipeline,
  options: RunScenarioOptions,
  after: AfterPromotion,
): Promise<void> {
  const { image, scenario } = options;
  const platforms = await pipeline.parts.ecr.scannedImages(image.repository, image.digest);
  const platform = platforms.find((p) => p.platform === after.finding.platform) ?? platforms[0];
  if (platform === undefined) return;
  pipeline.parts.findings.serveFrom(resolve(scenario.folder, after.findings));
  const { platform: _label, ...finding } = after.finding;
  pipeline.deliver([pipeline.parts.ecr.findingEvent(image.repository, platform.digest, finding)]);
  await pipeline.settle();
  pipeline.parts.clock.advance(after.advanceDays * 86_400_000);
  await pipeline.tick();
  options.view?.done(
    "after promotion",
    `${after.finding.id} ${after.finding.status}, ${after.advanceDays} day(s) later`,
  );
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
