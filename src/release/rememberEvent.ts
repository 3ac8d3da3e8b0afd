/** How many applied event ids a candidate keeps (enough for redeliveries; bounded for the item size). */
export const EVENT_HISTORY_LIMIT = 64;

/**
 * Appends an event id to the bounded history, dropping the oldest. Redeliveries older than the window are
 * still recognised by content (see pickScan); the history only saves the comparison and shows what applied.
 * @example rememberEvent(["a", "b"], "c") // => ["a", "b", "c"]
 */
export function rememberEvent(history: readonly string[], eventId: string): string[] {
  return [...history, eventId].slice(-EVENT_HISTORY_LIMIT);
}
