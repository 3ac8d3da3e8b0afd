import { setTimeout as sleep } from "node:timers/promises";
import { type EventPattern, matchesPattern } from "../../events/index.ts";

/** A rule on the local bus: EventBridge's pattern, and the handler it invokes (the Lambda's place). */
export interface BusRule {
  /** The rule's name, e.g. `gate` (shown in the progress view and the dead-letter list). */
  readonly name: string;
  /** One of `rulePatterns()`: the same JSON the stacks give `events.Rule`. */
  readonly pattern: EventPattern;
  /** Invoked with a copy of each matching event; a throw is retried, then dead-lettered. */
  readonly target: (event: unknown) => Promise<unknown>;
}

/** One invocation of a rule's target, as observers see it. */
export interface Delivery {
  readonly rule: string;
  readonly event: BusEvent;
  /** 1 for the first invocation, +1 for each retry. */
  readonly attempt: number;
}

/** What became of one invocation. */
export type DeliveryOutcome =
  | (Delivery & { readonly kind: "started" })
  | (Delivery & { readonly kind: "succeeded"; readonly ms: number; readonly result: unknown })
  | (Delivery & {
      readonly kind: "failed";
      readonly ms: number;
      readonly error: unknown;
      readonly final: boolean;
    });

/** An event that exhausted its attempts: what the stack's SQS dead-letter queue would hold. */
export interface DeadLetter {
  readonly rule: string;
  readonly event: BusEvent;
  readonly error: unknown;
  readonly attempts: number;
}

/** The envelope fields the bus reads (for ids and display); the rest is passed through untouched. */
export interface BusEvent {
  readonly id?: string;
  readonly source?: string;
  readonly "detail-type"?: string;
  readonly [field: string]: unknown;
}

/** Options for {@link LocalEventBus}. */
export interface LocalEventBusOptions {
  /** Invocations per event and rule before it is dead-lettered (Lambda async invoke: 1 + 2 retries). */
  readonly maxAttempts: number;
  /** The wait before the first retry; doubles each retry. */
  readonly retryDelayMs: number;
  /** Sees every invocation start and end (progress view, logs, tests). */
  readonly onDelivery?: (outcome: DeliveryOutcome) => void;
  /** Sees every event put, with the rules it was routed to (none is fine: EventBridge drops it). */
  readonly onEvent?: (event: BusEvent, rules: readonly string[]) => void;
}

/** Defaults for {@link LocalEventBus}: 3 attempts, 100 ms then 200 ms apart. */
export const localEventBusDefaults: LocalEventBusOptions = { maxAttempts: 3, retryDelayMs: 100 };

/**
 * An in-process EventBridge: `put` routes each event to every rule whose pattern matches (with
 * {@link matchesPattern}, the deployed patterns' own matcher), invokes the targets concurrently and
 * asynchronously like EventBridge does, retries a target that throws, and dead-letters what still fails.
 * Targets get a JSON copy of the event, as they would over the wire.
 * @example
 * const bus = new LocalEventBus();
 * bus.addRule({ name: "gate", pattern: rulePatterns().gate, target: gateHandler });
 * bus.put([scanEvent]);
 * await bus.idle();
 */
export class LocalEventBus {
  readonly #rules: BusRule[] = [];
  readonly #options: LocalEventBusOptions;
  readonly #inFlight = new Set<Promise<void>>();
  readonly #deadLetters: DeadLetter[] = [];
  #closed = false;

  constructor(options: Partial<LocalEventBusOptions> = {}) {
    this.#options = { ...localEventBusDefaults, ...options };
  }

  /** Adds a rule; events put afterwards are matched against it. */
  addRule(rule: BusRule): void {
    this.#rules.push(rule);
  }

  /** The rules, in the order they were added (name and pattern). */
  get rules(): readonly Pick<BusRule, "name" | "pattern">[] {
    return this.#rules.map(({ name, pattern }) => ({ name, pattern }));
  }

  /** The names of the rules an event would be delivered to. */
  route(event: unknown): string[] {
    return this.#rules.filter((rule) => matchesPattern(rule.pattern, event)).map((rule) => rule.name);
  }

  /** Takes no more events and starts no more retries; deliveries in flight finish (Ctrl-C). */
  close(): void {
    this.#closed = true;
  }

  /** Accepts events (like PutEvents) and returns at once; deliveries run in the background. Ignored once closed. */
  put(events: readonly unknown[]): void {
    if (this.#closed) return;
    for (const event of events) {
      const wire = JSON.stringify(event);
      const rules = this.#rules.filter((rule) => matchesPattern(rule.pattern, event));
      this.#options.onEvent?.(
        JSON.parse(wire) as BusEvent,
        rules.map((rule) => rule.name),
      );
      for (const rule of rules) this.#track(this.#deliver(rule, wire));
    }
  }

  /** True while deliveries run. */
  get busy(): boolean {
    return this.#inFlight.size > 0;
  }

  /**
   * Sends every dead letter back to the rule that failed it (an operator's DLQ redrive) and empties the
   * list; resolves to how many were sent. Deliveries run in the background like any other.
   */
  redrive(): number {
    const letters = this.#deadLetters.splice(0);
    for (const letter of letters) {
      const rule = this.#rules.find((r) => r.name === letter.rule);
      if (rule) this.#track(this.#deliver(rule, JSON.stringify(letter.event)));
    }
    return letters.length;
  }

  /** Resolves once every delivery has finished, including those of events the targets put meanwhile. */
  async idle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  /** Events whose target kept failing, oldest first. */
  get deadLetters(): readonly DeadLetter[] {
    return this.#deadLetters;
  }

  #track(delivery: Promise<void>): void {
    this.#inFlight.add(delivery);
    void delivery.finally(() => this.#inFlight.delete(delivery));
  }

  async #deliver(rule: BusRule, wire: string): Promise<void> {
    const { maxAttempts, retryDelayMs, onDelivery } = this.#options;
    const event = JSON.parse(wire) as BusEvent;
    for (let attempt = 1; ; attempt++) {
      await Promise.resolve();
      const delivery: Delivery = { rule: rule.name, event, attempt };
      onDelivery?.({ ...delivery, kind: "started" });
      const started = performance.now();
      try {
        const result = await rule.target(JSON.parse(wire));
        onDelivery?.({ ...delivery, kind: "succeeded", ms: performance.now() - started, result });
        return;
      } catch (error) {
        const final = attempt >= maxAttempts;
        onDelivery?.({ ...delivery, kind: "failed", ms: performance.now() - started, error, final });
        if (final) {
          this.#deadLetters.push({ rule: rule.name, event, error, attempts: attempt });
          return;
        }
        await sleep(retryDelayMs * 2 ** (attempt - 1));
        if (this.#closed) return;
      }
    }
  }
}
