import type { ScanCompleted } from "../../events/index.ts";
import type { ScanInput } from "../../release/index.ts";

/**
 * The scan result a `scan-completed` event carries, as the state machine takes it: the event's time is when
 * the result was produced, its id recognises redeliveries.
 * @example scanInput(event) // { digest, status: "COMPLETE", counts, scanner: "basic", at: event.time, eventId }
 */
export function scanInput(event: ScanCompleted): ScanInput {
  return {
    digest: event.digest,
    status: event.status,
    counts: event.counts,
    scanner: event.scanner,
    at: event.time,
    eventId: event.eventId,
  };
}
