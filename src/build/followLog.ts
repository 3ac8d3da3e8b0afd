import type { LogApi } from "./ports.ts";

/** Pages read per drain at most, so one chatty stream cannot starve the status polling. */
const MAX_PAGES = 50;

/** Where a log stream was read up to. */
export interface LogPosition {
  readonly group: string;
  readonly stream: string;
  token?: string;
}

/**
 * Reads a log stream forward from `position` until CloudWatch hands back the token it was sent (the end,
 * for now), advancing `position`; returns the messages in order.
 * @example const lines = await followLog(logs, position);
 */
export async function followLog(logs: LogApi, position: LogPosition): Promise<string[]> {
  const messages: string[] = [];
  for (let page = 0; page < MAX_PAGES; page++) {
    const sent = position.token;
    const next = await logs.page(position.group, position.stream, sent);
    messages.push(...next.messages);
    if (next.nextToken !== undefined) position.token = next.nextToken;
    if (next.nextToken === undefined || next.nextToken === sent) break;
  }
  return messages;
}
