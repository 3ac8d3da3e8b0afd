import { z } from "zod";
import { accountIdSchema, regionSchema, timestampSchema } from "./fieldSchemas.ts";

/**
 * The EventBridge envelope every event shares, AWS's or Portcullis's own.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html
 */
export const eventEnvelopeSchema = z.object({
  version: z.string().optional(),
  id: z.string().min(1),
  "detail-type": z.string().min(1),
  source: z.string().min(1),
  account: accountIdSchema,
  time: timestampSchema,
  region: regionSchema,
  resources: z.array(z.string()).default([]),
  detail: z.looseObject({}),
});

/** A validated envelope (the `detail` is validated separately, by its contract). */
export type EventEnvelope = z.output<typeof eventEnvelopeSchema>;

/** Fields every normalized event carries, taken from the envelope. */
export interface EventBase {
  /** EventBridge's event id (duplicates of one delivery share it). */
  readonly eventId: string;
  /** When the event happened, ISO 8601 UTC, as the envelope says. */
  readonly time: string;
  readonly region: string;
  readonly account: string;
}

/** Picks the {@link EventBase} fields out of a validated envelope. */
export function eventBase(envelope: EventEnvelope): EventBase {
  return { eventId: envelope.id, time: envelope.time, region: envelope.region, account: envelope.account };
}
