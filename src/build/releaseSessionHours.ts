/** IAM allows role sessions of 1 to 12 hours. */
const MAX_SESSION_HOURS = 12;

/**
 * How long the release role's sessions may last: long enough for `portcullis build start` to follow a
 * batch to its timeout (plus half an hour of queueing), at least 2 hours, at most IAM's 12.
 * @example releaseSessionHours(60) // => 2
 */
export function releaseSessionHours(buildTimeoutMinutes: number): number {
  return Math.min(MAX_SESSION_HOURS, Math.max(2, Math.ceil((buildTimeoutMinutes + 30) / 60)));
}
