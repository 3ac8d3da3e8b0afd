const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * The instant an allowlist entry stops applying: the end of its `expires` day in UTC, i.e. the
 * following midnight UTC. Undefined unless `expires` is a real calendar date written `YYYY-MM-DD`.
 * @example allowlistExpiry("2027-03-31") // 2027-04-01T00:00:00.000Z
 * @example allowlistExpiry("2027-02-30") // undefined
 */
export function allowlistExpiry(expires: string): Date | undefined {
  const match = DATE.exec(expires);
  if (!match) return undefined;
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
  const start = new Date(Date.UTC(year, month - 1, day));
  const real =
    start.getUTCFullYear() === year && start.getUTCMonth() === month - 1 && start.getUTCDate() === day;
  return real ? new Date(Date.UTC(year, month - 1, day + 1)) : undefined;
}
