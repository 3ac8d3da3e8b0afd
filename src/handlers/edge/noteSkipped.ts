import type { HandlerDeps } from "../HandlerDeps.ts";
import type { Ignored, Refused } from "../HandlerResult.ts";

/**
 * Logs and counts an event that is refused or ignored, and returns the result as is: nothing was applied, and
 * the event is not an error (retrying it would change nothing).
 * @example return noteSkipped(deps, "gate", refusal, { eventId });
 */
export function noteSkipped<R extends Refused | Ignored>(
  deps: Pick<HandlerDeps, "log" | "metrics">,
  handler: string,
  result: R,
  fields: Record<string, unknown> = {},
): R {
  if (result.kind === "refused") {
    deps.log.warn(`${handler}: event refused`, { ...fields, ...result });
    deps.metrics.count("EventsRefused", 1, { handler, field: result.field });
  } else {
    deps.log.info(`${handler}: event ignored`, { ...fields, reason: result.reason });
    deps.metrics.count("EventsIgnored", 1, { handler });
  }
  return result;
}
