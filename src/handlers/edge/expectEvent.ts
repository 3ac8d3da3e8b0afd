import { ValidationError } from "../../core/index.ts";
import { type EventKind, type NormalizedEvent, normalizeEvent } from "../../events/index.ts";

/** The normalized event of one of the given kinds. */
export type EventOf<K extends EventKind> = Extract<NormalizedEvent, { kind: K }>;

/**
 * Parses a raw EventBridge event at a handler's edge. Throws {@link ValidationError} naming every refused
 * field and value, or the detail-type when the event is valid but not one this handler takes (a wiring
 * mistake): the Lambda wrapper sends either to the dead-letter queue before anything is applied.
 * @example const scan = expectEvent(raw, ["scan-completed"], "gate");
 */
export function expectEvent<K extends EventKind>(
  raw: unknown,
  kinds: readonly K[],
  handler: string,
): EventOf<K> {
  const parsed = normalizeEvent(raw);
  if (!parsed.ok) throw new ValidationError(`${handler} event`, parsed.error);
  const event = parsed.value;
  if ((kinds as readonly EventKind[]).includes(event.kind)) return event as EventOf<K>;
  const detailType = (raw as Record<string, unknown>)["detail-type"];
  throw new ValidationError(`${handler} event`, [
    {
      field: "detail-type",
      value: detailType,
      message: `is not an event the ${handler} handler takes (it takes ${kinds.join(", ")}; this one normalizes to ${event.kind})`,
    },
  ]);
}
