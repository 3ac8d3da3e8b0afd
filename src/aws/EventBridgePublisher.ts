import { setTimeout as sleep } from "node:timers/promises";
import {
  type EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
  type PutEventsResultEntry,
} from "@aws-sdk/client-eventbridge";
import { type PortcullisEvent, toPutEventsEntry } from "../events/index.ts";
import type { EventPublisher } from "../handlers/ports.ts";
import { EventPublishError, EventTooLargeError, type FailedEntry } from "./errors.ts";

/** Options for {@link EventBridgePublisher}. */
export interface EventBridgePublisherOptions {
  readonly client: Pick<EventBridgeClient, "send">;
  /** The custom bus's name or ARN. */
  readonly busName: string;
  /** PutEvents calls per batch, the first included, while some entries keep failing. */
  readonly maxAttempts?: number;
  /** First backoff before resending failed entries; doubles each time (full jitter). */
  readonly baseDelayMs?: number;
  /** Injected in tests. */
  readonly sleep?: (ms: number) => Promise<unknown>;
}

/** Defaults of {@link EventBridgePublisherOptions}. */
export const eventBridgePublisherDefaults = { maxAttempts: 4, baseDelayMs: 100 } as const;

/** PutEvents limits: 10 entries and 256 KiB per call (an entry counts its strings' UTF-8 bytes + 14 for Time). */
const MAX_ENTRIES = 10;
const MAX_BYTES = 256 * 1024;

/**
 * {@link EventPublisher} on an EventBridge custom bus. Sends batches of at most 10 entries (and 256 KiB);
 * PutEvents can accept a call yet refuse some of its entries (FailedEntryCount), so those — and only those —
 * are sent again with backoff; if some still fail, {@link EventPublishError} says which.
 * https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html
 * @example await new EventBridgePublisher({ client, busName: "portcullis" }).publish([event]);
 */
export class EventBridgePublisher implements EventPublisher {
  readonly #options: Required<EventBridgePublisherOptions>;

  constructor(options: EventBridgePublisherOptions) {
    this.#options = { ...eventBridgePublisherDefaults, sleep, ...options };
  }

  async publish(events: readonly PortcullisEvent[]): Promise<void> {
    const entries = events.map((event) => toPutEventsEntry(event, this.#options.busName));
    for (const batch of batches(entries)) await this.#send(batch);
  }

  async #send(batch: readonly PutEventsRequestEntry[]): Promise<void> {
    const { client, maxAttempts, baseDelayMs } = this.#options;
    let pending = batch;
    for (let attempt = 1; ; attempt++) {
      const out = await client.send(new PutEventsCommand({ Entries: [...pending] }));
      if (!out.FailedEntryCount) return;
      const failed = failedEntries(pending, out.Entries);
      if (attempt >= maxAttempts)
        throw new EventPublishError(this.#options.busName, failed.map(describe), attempt);
      pending = failed.map(({ entry }) => entry);
      await this.#options.sleep(Math.random() * baseDelayMs * 2 ** (attempt - 1));
    }
  }
}

interface Failed {
  readonly entry: PutEventsRequestEntry;
  readonly result: PutEventsResultEntry | undefined;
}

/** Result entries line up with request entries; a missing result counts as a failure. */
function failedEntries(
  sent: readonly PutEventsRequestEntry[],
  results: PutEventsResultEntry[] = [],
): Failed[] {
  return sent
    .map((entry, i) => ({ entry, result: results[i] }))
    .filter(
      ({ result }) => result === undefined || result.ErrorCode !== undefined || result.EventId === undefined,
    );
}

function describe({ entry, result }: Failed): FailedEntry {
  return {
    detailType: entry.DetailType ?? "?",
    errorCode: result?.ErrorCode ?? "NoResult",
    errorMessage: result?.ErrorMessage ?? "EventBridge returned no result for this entry",
  };
}

/** Splits entries into PutEvents calls within the count and size limits. */
export function batches(entries: readonly PutEventsRequestEntry[]): PutEventsRequestEntry[][] {
  const out: PutEventsRequestEntry[][] = [];
  let current: PutEventsRequestEntry[] = [];
  let bytes = 0;
  for (const entry of entries) {
    const size = entrySize(entry);
    if (size > MAX_BYTES) throw new EventTooLargeError(entry.DetailType ?? "?", size);
    if (current.length === MAX_ENTRIES || bytes + size > MAX_BYTES) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(entry);
    bytes += size;
  }
  if (current.length > 0) out.push(current);
  return out;
}

/** https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-putevent-size.html */
function entrySize(entry: PutEventsRequestEntry): number {
  const strings = [entry.Source, entry.DetailType, entry.Detail, ...(entry.Resources ?? [])];
  return (entry.Time ? 14 : 0) + strings.reduce((sum, s) => sum + Buffer.byteLength(s ?? "", "utf8"), 0);
}
