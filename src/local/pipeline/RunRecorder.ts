import type { NotifyOutcome } from "../../handlers/notify/createNotifyHandler.ts";
import type { ReportResult } from "../../handlers/report/createReportHandler.ts";
import type { BusEvent, DeliveryOutcome, LocalEventBusOptions } from "../bus/LocalEventBus.ts";
import type { TopicDelivery } from "../bus/LocalTopic.ts";
import type { PipelineProgress } from "../progress/PipelineProgress.ts";

/**
 * Records what a run's handlers published and returned — Portcullis events, report results, notify
 * outcomes — while passing every observation on to the progress view and any caller's own observers.
 * @example const recorder = new RunRecorder(progress, busOptions); wirePipeline({ …, bus: recorder.bus(), onNotification: recorder.onNotification })
 */
export class RunRecorder {
  readonly published: BusEvent[] = [];
  readonly reportResults: ReportResult[] = [];
  readonly notifyOutcomes: NotifyOutcome[] = [];

  constructor(
    private readonly progress: PipelineProgress | undefined,
    private readonly extra: Partial<LocalEventBusOptions> = {},
  ) {}

  /** The bus options: the caller's retries, and observers that record and show. */
  bus(): Partial<LocalEventBusOptions> {
    return { ...this.extra, onEvent: this.#onEvent, onDelivery: this.#onDelivery };
  }

  /** Observes the topic's deliveries to the notify handler. */
  readonly onNotification = (delivery: TopicDelivery): void => {
    if (delivery.ok) this.notifyOutcomes.push(...(delivery.result as NotifyOutcome[]));
    this.progress?.onNotification(delivery);
  };

  readonly #onEvent = (event: BusEvent, rules: readonly string[]): void => {
    if (event.source === "portcullis") this.published.push(event);
    this.extra.onEvent?.(event, rules);
    this.progress?.onEvent(event, rules);
  };

  readonly #onDelivery = (outcome: DeliveryOutcome): void => {
    if (outcome.kind === "succeeded" && outcome.rule === "report")
      this.reportResults.push(outcome.result as ReportResult);
    this.extra.onDelivery?.(outcome);
    this.progress?.onDelivery(outcome);
  };
}
