import type { BusEvent, DeliveryOutcome } from "../bus/LocalEventBus.ts";
import type { TopicDelivery } from "../bus/LocalTopic.ts";
import type { ProgressView } from "./ProgressView.ts";

type Detail = Record<string, unknown> & {
  readonly region?: string;
  readonly outcome?: string;
  readonly tags?: readonly string[];
  readonly error?: string;
  readonly digest?: string;
  readonly "scan-status"?: string;
  readonly "image-digest"?: string;
  readonly "finding-severity-counts"?: Record<string, number>;
};

/**
 * Turns what happens on the bus and the topic into stage lines: one per platform scan, register, gate,
 * promote, one per replica region, report, notify and reconcile. It only displays what the handlers
 * published; it never infers an outcome.
 * @example const progress = new PipelineProgress(view, { replicaRegions }); bus options: { onEvent: progress.onEvent }
 */
export class PipelineProgress {
  readonly #platforms = new Map<string, string>();
  #notifications = 0;
  #reports = 0;

  constructor(
    private readonly view: ProgressView,
    private readonly options: {
      readonly replicaRegions: readonly string[];
      /** The reconciler's schedule, in simulated minutes. */
      readonly everyMinutes: number;
    },
  ) {}

  /** Names the platform of each image digest, for the scan lines. */
  platforms(images: readonly { readonly digest: string; readonly platform: string }[]): void {
    for (const image of images) this.#platforms.set(image.digest, image.platform);
  }

  /** Every event put on the bus. */
  readonly onEvent = (event: BusEvent, _rules: readonly string[]): void => {
    const detail = (event.detail ?? {}) as Detail;
    switch (event["detail-type"]) {
      case "ECR Image Action":
        this.view.start("register", "register candidate", `PUSH ${String(detail["image-tag"])}`);
        break;
      case "ECR Image Scan":
        this.#scanned(detail);
        break;
      case "Candidate Registered":
        this.view.done(
          "register",
          `${(detail.platforms as unknown[] | undefined)?.length ?? 0} platform images`,
        );
        break;
      case "Release Decided":
        this.#decided(detail);
        break;
      case "Image Promoted":
        this.#promoted(detail);
        break;
      case "Image Replicated":
        this.view.done(`replicate:${detail.region}`, `${short(detail.digest)} (digest-identical)`);
        break;
      case "Replication Failed":
        this.view.failed(`replicate:${detail.region}`, String(detail.error));
        break;
    }
  };

  /** Every handler invocation. */
  readonly onDelivery = (outcome: DeliveryOutcome): void => {
    if (outcome.rule === "gate" && outcome.kind === "started")
      this.view.start("gate", "gate (policy)", "waiting for every platform");
    if (outcome.rule === "report") this.#reported(outcome);
    if (outcome.kind !== "failed" || !(outcome.rule in STAGE_OF_RULE)) return;
    const stage = STAGE_OF_RULE[outcome.rule] ?? outcome.rule;
    const what = `${outcome.final ? "gave up" : `attempt ${outcome.attempt} failed`}: ${message(outcome.error)}`;
    if (outcome.final) this.view.failed(stage, what);
    else this.view.note(stage, what);
  };

  /** Every notification the notify handler took (or gave up on). */
  readonly onNotification = (delivery: TopicDelivery): void => {
    this.view.start(
      "notify",
      "notify (Slack)",
      this.view.stages.find((s) => s.id === "notify")?.detail ?? "",
    );
    if (!delivery.ok) {
      this.view.failed("notify", message(delivery.error));
      return;
    }
    this.#notifications++;
    this.view.note("notify", `${this.#notifications} message(s), last: ${delivery.notification.subject}`);
  };

  /** Ends the stages that run for as long as there are events (report, notify). */
  finish(): void {
    for (const id of ["report", "notify"])
      if (this.view.stages.find((stage) => stage.id === id)?.status === "running") this.view.done(id);
  }

  #reported(outcome: DeliveryOutcome): void {
    if (outcome.kind === "started")
      this.view.start("report", "report (check run)", `${this.#reports} update(s)`);
    if (outcome.kind !== "succeeded") return;
    this.#reports++;
    const result = outcome.result as { kind?: string; status?: string; state?: string };
    this.view.note(
      "report",
      `${this.#reports} update(s), last: ${result.kind} ${result.status ?? result.state ?? ""}`.trim(),
    );
  }

  /** A reconciler run. */
  readonly onTick = (tick: number): void => {
    this.view.start(
      "reconcile",
      "reconcile (scheduled)",
      `run ${tick}, +${tick * this.options.everyMinutes} min simulated`,
    );
  };

  #scanned(detail: Detail): void {
    const digest = String(detail["image-digest"]);
    const platform = this.#platforms.get(digest) ?? short(digest);
    const counts = Object.entries(detail["finding-severity-counts"] ?? {})
      .map(([severity, n]) => `${n} ${severity}`)
      .join(", ");
    this.view.start(`scan:${digest}`, `scan ${platform}`);
    const result = `${detail["scan-status"]}${counts ? ` (${counts})` : ""}`;
    this.view.done(`scan:${digest}`, `${result}, from the scenario's findings`);
  }

  #decided(detail: Detail): void {
    const reasons = (detail.reasons as string[] | undefined) ?? [];
    const text = `${detail.outcome}${reasons.length ? `: ${reasons[0]}${reasons.length > 1 ? ` (+${reasons.length - 1})` : ""}` : ""}`;
    if (detail.outcome === "passed") {
      this.view.done("gate", text);
      this.view.start("promote", "promote");
      return;
    }
    this.view.start("gate", "gate (policy)");
    this.view.done("gate", `REJECTED ${text}`);
    this.view.add("promote", "promote");
    this.view.skipped("promote", "rejected: nothing promoted");
    for (const region of this.options.replicaRegions) {
      this.view.add(`replicate:${region}`, `replicate ${region}`);
      this.view.skipped(`replicate:${region}`, "nothing to replicate");
    }
  }

  #promoted(detail: Detail): void {
    this.view.start("promote", "promote");
    this.view.done("promote", (detail.tags ?? []).join(", "));
    for (const region of this.options.replicaRegions)
      this.view.start(`replicate:${region}`, `replicate ${region}`);
  }
}

/** The stage a rule's failures show on (replication failures show per region through their events). */
const STAGE_OF_RULE: Record<string, string> = {
  register: "register",
  gate: "gate",
  replicate: "promote",
  report: "report",
  reconcile: "reconcile",
};

function short(digest: unknown): string {
  return typeof digest === "string" ? digest.slice(0, 19) : String(digest);
}

function message(error: unknown): string {
  return error instanceof Error ? (error.message.split("\n")[0] ?? error.name) : String(error);
}
