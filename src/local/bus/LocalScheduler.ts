import { randomUUID } from "node:crypto";
import type { LocalClock } from "../adapters/LocalClock.ts";

/** Options for {@link LocalScheduler}. */
export interface LocalSchedulerOptions {
  readonly account: string;
  readonly region: string;
  /** The schedule's period, in simulated minutes (the stack's `rate(N minutes)`). */
  readonly everyMinutes: number;
  readonly clock: LocalClock;
  /** The scheduled function (the reconciler). */
  readonly target: (event: unknown) => Promise<unknown>;
}

/**
 * The reconciler's schedule, in simulated time: each {@link tick} moves the local clock one period forward
 * and invokes the target with the `Scheduled Event` EventBridge sends, so "ten minutes later" takes no time.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-run-lambda-schedule.html
 * @example const scheduler = new LocalScheduler({ …, everyMinutes: 5, target: reconcile }); await scheduler.tick();
 */
export class LocalScheduler {
  #ticks = 0;

  constructor(private readonly options: LocalSchedulerOptions) {}

  /** The schedule's period, in simulated minutes. */
  get everyMinutes(): number {
    return this.options.everyMinutes;
  }

  /** Ticks so far. */
  get ticks(): number {
    return this.#ticks;
  }

  /** Moves time one period forward and runs the target once; resolves to what it returned. */
  async tick(): Promise<unknown> {
    const { clock, everyMinutes, account, region, target } = this.options;
    clock.advance(everyMinutes * 60_000);
    this.#ticks++;
    return target({
      version: "0",
      id: randomUUID(),
      "detail-type": "Scheduled Event",
      source: "aws.events",
      account,
      time: clock
        .now()
        .toISOString()
        .replace(/\.\d{3}Z$/, "Z"),
      region,
      resources: [`arn:aws:events:${region}:${account}:rule/portcullis-reconcile`],
      detail: {},
    });
  }
}
