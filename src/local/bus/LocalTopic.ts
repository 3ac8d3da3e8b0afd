import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { snsSubject } from "../../aws/SnsNotificationPublisher.ts";
import type { Notification, NotificationPublisher } from "../../handlers/ports.ts";

/** Options for {@link LocalTopic}. */
export interface LocalTopicOptions {
  /** `arn:aws:sns:REGION:ACCOUNT:NAME`, as subscribers see it. */
  readonly topicArn: string;
  /** Invocations per message before it is dropped into {@link LocalTopic.failed} (Lambda async: 3). */
  readonly maxAttempts?: number;
  readonly retryDelayMs?: number;
  /** Told when a subscriber finished (or gave up on) a message. */
  readonly onDelivery?: (delivery: TopicDelivery) => void;
}

/** How one message's delivery to the subscriber ended. */
export interface TopicDelivery {
  readonly notification: Notification;
  readonly ok: boolean;
  readonly attempts: number;
  readonly ms: number;
  readonly result?: unknown;
  readonly error?: unknown;
}

/**
 * The SNS topic locally: {@link NotificationPublisher} that invokes the subscribed handler (the notify
 * Lambda's place) asynchronously with the same Lambda event SNS sends — `Records[0].Sns` with the subject,
 * the JSON message and String message attributes — retrying a throw like Lambda's async invocation does.
 * @example const topic = new LocalTopic({ topicArn }); topic.subscribe(notifyHandler); await topic.publish(n);
 */
export class LocalTopic implements NotificationPublisher {
  readonly #options: Required<Omit<LocalTopicOptions, "onDelivery">> & Pick<LocalTopicOptions, "onDelivery">;
  readonly #subscribers: ((event: unknown) => Promise<unknown>)[] = [];
  readonly #inFlight = new Set<Promise<void>>();
  readonly published: Notification[] = [];
  #closed = false;
  readonly failed: TopicDelivery[] = [];

  constructor(options: LocalTopicOptions) {
    this.#options = { maxAttempts: 3, retryDelayMs: 100, ...options };
  }

  /** The topic's ARN, as subscribers see it in each record. */
  get topicArn(): string {
    return this.#options.topicArn;
  }

  /** Subscribes a Lambda-style handler. */
  subscribe(handler: (event: unknown) => Promise<unknown>): void {
    this.#subscribers.push(handler);
  }

  /** Delivers no more messages and starts no more retries; deliveries in flight finish (Ctrl-C). */
  close(): void {
    this.#closed = true;
  }

  async publish(notification: Notification): Promise<void> {
    this.published.push(notification);
    if (this.#closed) return;
    const event = JSON.stringify(this.#snsEvent(notification));
    for (const handler of this.#subscribers) {
      const delivery = this.#deliver(handler, event, notification);
      this.#inFlight.add(delivery);
      void delivery.finally(() => this.#inFlight.delete(delivery));
    }
  }

  /** Resolves once every delivery has finished. */
  async idle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  /** True while deliveries run. */
  get busy(): boolean {
    return this.#inFlight.size > 0;
  }

  async #deliver(handler: (event: unknown) => Promise<unknown>, wire: string, notification: Notification) {
    const started = performance.now();
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await handler(JSON.parse(wire));
        this.#options.onDelivery?.({
          notification,
          ok: true,
          attempts: attempt,
          ms: performance.now() - started,
          result,
        });
        return;
      } catch (error) {
        if (attempt >= this.#options.maxAttempts) {
          const delivery = {
            notification,
            ok: false,
            attempts: attempt,
            ms: performance.now() - started,
            error,
          };
          this.failed.push(delivery);
          this.#options.onDelivery?.(delivery);
          return;
        }
        await sleep(this.#options.retryDelayMs * 2 ** (attempt - 1));
        if (this.#closed) return;
      }
    }
  }

  /** https://docs.aws.amazon.com/lambda/latest/dg/with-sns.html (the event a subscribed function receives) */
  #snsEvent(notification: Notification) {
    const { topicArn } = this.#options;
    const attributes = Object.entries({ id: notification.id, ...notification.attributes })
      .filter(([, value]) => typeof value === "string" && value.length > 0)
      .slice(0, 10);
    return {
      Records: [
        {
          EventSource: "aws:sns",
          EventVersion: "1.0",
          EventSubscriptionArn: `${topicArn}:${randomUUID()}`,
          Sns: {
            Type: "Notification",
            MessageId: randomUUID(),
            TopicArn: topicArn,
            Subject: snsSubject(notification.subject),
            Message: JSON.stringify(notification.body),
            Timestamp: new Date().toISOString(),
            SignatureVersion: "1",
            Signature: "",
            SigningCertUrl: "",
            UnsubscribeUrl: "",
            MessageAttributes: Object.fromEntries(
              attributes.map(([key, value]) => [key, { Type: "String", Value: value }]),
            ),
          },
        },
      ],
    };
  }
}
