/** Drops properties whose value is `undefined`, so optional fields are absent rather than present-but-empty. */
export function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
