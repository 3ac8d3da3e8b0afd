import type { Digest } from "../core/digest.ts";

/** One digest a promotion tag was moved to. */
export interface TagHistoryEntry {
  readonly digest: Digest;
  /** ISO 8601: when the tag was moved there. */
  readonly at: string;
  /** ISO 8601: when this digest was demoted; a demoted entry is never a fallback again. */
  readonly demotedAt?: string;
}

/** A promotion tag's history, oldest first, with the revision its next replacement must name. */
export interface TagHistory {
  readonly entries: readonly TagHistoryEntry[];
  /** 0 when nothing is stored yet; +1 on every write. */
  readonly revision: number;
}

/** How many entries a history keeps (the oldest are dropped): plenty of fallbacks, a small item. */
export const TAG_HISTORY_LIMIT = 25;

/**
 * The digest the tag should point at: the newest entry that was not demoted, or undefined when every
 * entry was demoted (or there is none).
 * @example headOf([{ digest: a, at }, { digest: b, at, demotedAt }]) // => a
 */
export function headOf(entries: readonly TagHistoryEntry[]): Digest | undefined {
  for (let i = entries.length - 1; i >= 0; i--) {
    const entry = entries[i];
    if (entry && entry.demotedAt === undefined) return entry.digest;
  }
  return undefined;
}

/**
 * The history after promoting `digest`: appended unless it is already the head (a redelivery), oldest
 * entries dropped past {@link TAG_HISTORY_LIMIT}. Undefined when nothing changes.
 * @example withPromotion([], digest, "2026-01-01T00:00:00.000Z") // => [{ digest, at }]
 */
export function withPromotion(
  entries: readonly TagHistoryEntry[],
  digest: Digest,
  at: string,
): TagHistoryEntry[] | undefined {
  if (headOf(entries) === digest) return undefined;
  return [...entries, { digest, at }].slice(-TAG_HISTORY_LIMIT);
}

/**
 * The history after demoting `digest`: every entry of it marked, so the head falls back to the previous
 * digest that was not demoted. Undefined when nothing changes (already demoted, or never there).
 * @example headOf(withDemotion(entries, head, at) ?? entries) // => the previous passing digest
 */
export function withDemotion(
  entries: readonly TagHistoryEntry[],
  digest: Digest,
  at: string,
): TagHistoryEntry[] | undefined {
  if (!entries.some((e) => e.digest === digest && e.demotedAt === undefined)) return undefined;
  return entries.map((e) => (e.digest === digest && e.demotedAt === undefined ? { ...e, demotedAt: at } : e));
}
