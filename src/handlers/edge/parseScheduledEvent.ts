import { z } from "zod";
import { parseWithSchema, ValidationError } from "../../core/index.ts";
import { eventEnvelopeSchema } from "../../events/index.ts";

/** An EventBridge Scheduler / scheduled-rule tick. */
export interface ScheduledTick {
  readonly kind: "scheduled";
  readonly eventId: string;
  readonly time: string;
  readonly account: string;
  readonly region: string;
}

const scheduledSchema = eventEnvelopeSchema.extend({
  source: z.literal("aws.events"),
  "detail-type": z.literal("Scheduled Event"),
});

/** True when a raw event claims to be a scheduled tick (`aws.events` / `Scheduled Event`). */
export function isScheduledEvent(raw: unknown): boolean {
  const event = raw as Record<string, unknown> | null;
  return typeof event === "object" && event !== null && event.source === "aws.events";
}

/**
 * Validates a scheduled-rule event (`source: aws.events`, `detail-type: Scheduled Event`), naming each
 * refused field and value.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-run-lambda-schedule.html
 * @example parseScheduledEvent(raw).time // "2026-03-01T10:05:00Z"
 */
export function parseScheduledEvent(raw: unknown): ScheduledTick {
  const parsed = parseWithSchema(scheduledSchema, raw);
  if (!parsed.ok) throw new ValidationError("scheduled event", parsed.error);
  const { id, time, account, region } = parsed.value;
  return { kind: "scheduled", eventId: id, time, account, region };
}
