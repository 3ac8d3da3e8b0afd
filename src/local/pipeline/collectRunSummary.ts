import { dirname } from "node:path";
import { LocalRegistryDirectory } from "../adapters/LocalRegistryDirectory.ts";
import type { BuiltImage } from "../build/BuiltImage.ts";
import type { BusEvent } from "../bus/LocalEventBus.ts";
import type { Scenario } from "../scenario/loadScenario.ts";
import { notificationsDelivered, reportsDelivered } from "./deliveredReports.ts";
import { findProblems } from "./findProblems.ts";
import { inspectRegions } from "./inspectRegions.ts";
import type { RunRecorder } from "./RunRecorder.ts";
import type { RunSummary } from "./RunSummary.ts";
import type { RunScenarioOptions } from "./runScenario.ts";
import { verifyRegions } from "./verifyRegions.ts";
import type { WiredPipeline } from "./wirePipeline.ts";

const PROVISIONING_NOTE =
  "replica repositories were created by the registries on first push (in AWS the replicate function creates them with the primary's settings)";
/** Reading the registries back: one quick retry, so a registry that is down is reported, not waited for. */
const INSPECT_RETRY = { retries: 1, baseDelayMs: 50, maxDelayMs: 100, maxRetryAfterMs: 0 };

/**
 * Reads the candidate and every registry back after a run, and assembles the run's report with its problems.
 * @example const report = await collectRunSummary(wired, options, recorder, { platforms, finish });
 */
export async function collectRunSummary(
  wired: WiredPipeline,
  options: RunScenarioOptions,
  recorder: RunRecorder,
  played: Pick<RunSummary, "finish"> & { platforms: RunSummary["image"]["platforms"] },
): Promise<RunSummary> {
  const { pipeline, destinations } = wired;
  const { image } = options;
  const state = await pipeline.candidate(image.digest);
  const facts = {
    scenario: scenarioFacts(options.scenario),
    image: { ...imageFacts(image), platforms: played.platforms },
    ...decisionOf(recorder.published),
    promotedTags: state?.phase === "promoted" ? state.promotion.tags : [],
    replicas: state?.phase === "promoted" ? state.replicas : {},
    ...(state?.phase === "promoted" && state.watch && { watch: state.watch }),
    regions: await readBack(options.services.hosts, image.repository),
    ...(await attestationsOf(options, state?.phase === "promoted")),
    finish: played.finish,
    reconcileRuns: pipeline.parts.scheduler.ticks,
    published: recorder.published,
    reports: reportsDelivered(destinations, recorder.reportResults),
    notifications: notificationsDelivered(destinations, recorder.notifyOutcomes),
    deadLetters: pipeline.parts.bus.deadLetters.map((letter) => ({
      rule: letter.rule,
      event: String(letter.event["detail-type"]),
      error: letter.error instanceof Error ? letter.error.message : String(letter.error),
    })),
  };
  const notes = [
    ...destinations.notes,
    ...(state ? [] : ["the candidate was never stored"]),
    ...(facts.promotedTags.length > 0 ? [PROVISIONING_NOTE] : []),
  ];
  return { ...facts, problems: findProblems(facts), notes };
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

/** The verification of the decision's signed summary: in every region after a promotion, else in the primary. */
async function attestationsOf(
  options: RunScenarioOptions,
  promoted: boolean,
): Promise<Pick<RunSummary, "attestations">> {
  const key = options.attestation;
  if (key === undefined) return {};
  const { hosts } = options.services;
  const regions = promoted ? Object.keys(hosts) : [options.config.primaryRegion];
  const directory = new LocalRegistryDirectory({ hosts, retry: INSPECT_RETRY });
  try {
    const cwd = dirname(options.services.layout.root);
    return {
      attestations: await verifyRegions(
        directory,
        regions,
        options.image.repository,
        options.image.digest,
        key,
        cwd,
      ),
    };
  } finally {
    directory.close();
  }
}

/** The decision as the "Release Decided" event published it (the first: the handlers publish one). */
function decisionOf(published: readonly BusEvent[]): Pick<RunSummary, "decision"> {
  const event = published.find((e) => e["detail-type"] === "Release Decided");
  if (!event) return {};
  const detail = event.detail as { outcome: "passed" | "failed" | "timed-out"; reasons?: string[] };
  return { decision: { outcome: detail.outcome, reasons: detail.reasons ?? [] } };
}

function scenarioFacts(scenario: Scenario): RunSummary["scenario"] {
  return {
    name: scenario.name,
    ...(scenario.description !== undefined && { description: scenario.description }),
    ...(scenario.expect !== undefined && { expect: scenario.expect }),
    ...(scenario.afterPromotion && { expectAfter: scenario.afterPromotion.expect }),
    policyFile: scenario.policyFile,
  };
}

function imageFacts(image: BuiltImage): Omit<RunSummary["image"], "platforms"> {
  return {
    repository: image.repository,
    buildTag: image.tag,
    digest: image.digest,
    commit: image.git.commit,
    ref: image.git.ref,
  };
}
