import type { PortcullisEvent } from "./portcullisEvent.ts";

/** The fields of an EventBridge `PutEventsRequestEntry` (declared here: src/events imports no AWS SDK). */
export interface PutEventsEntry {
  Source: string;
  DetailType: string;
  Detail: string;
  Resources: string[];
  Time: Date;
  EventBusName?: string;
}

/**
 * Turns a built Portcullis event into a PutEvents entry (EventBridge assigns id, account and region).
 * @example await client.send(new PutEventsCommand({ Entries: [toPutEventsEntry(event, busName)] }))
 */
export function toPutEventsEntry(event: PortcullisEvent, eventBusName?: string): PutEventsEntry {
  return {
    Source: event.source,
    DetailType: event["detail-type"],
    Detail: JSON.stringify(event.detail),
    Resources: [...event.resources],
    Time: new Date(event.time),
    ...(eventBusName !== undefined && { EventBusName: eventBusName }),
  };
}
