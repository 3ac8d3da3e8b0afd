import type { Digest } from "../core/digest.ts";

/** Why a tag moved: absent on entries written before causes were recorded, which were all promotions. */
export type TagMoveCause = "promotion" | "rollback";

/** One digest a promotion tag was moved to. */
export interface TagHistoryEntry {
  readonly digest: Digest;
  /** ISO 8601: when the tag was moved there. */
  readonly at: string;
  /** ISO 8601: when this digest was demoted; a demoted entry is never a fallback again. */
  readonly demotedAt?: string;
  /** Why the tag moved here (absent: a promotion). */
  readonly cause?: TagMoveCause;
  /** Who moved it: the operator of a rollback. */
  readonly by?: string;
  /** The operator's reason for a rollback. */
  readonly reason?: string;
  /** True when a rollback skipped its checks (`--force`). */
  readonly forced?: boolean;
  /**
   * ISO 8601: when an operator rolled the tag back off this digest. A later event of that release does not
   * move the tag back ({@link withPromotion} refuses it); only a rollback to it again does.
   */
  readonly rolledBackAt?: string;
}

/** Who rolled a tag back and why: recorded on the rollback's entry. */
export interface RollbackNote {
  readonly by: string;
  readonly reason: string;
  readonly forced?: boolean;
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
 * The history after promoting `digest`: appended unless it is already the head (a redelivery) or an operator
 * rolled the tag back off it (a late or retried event of that release must not undo the rollback), oldest
 * entries dropped past {@link TAG_HISTORY_LIMIT}. Undefined when nothing changes.
 * @example withPromotion([], digest, "2026-01-01T00:00:00.000Z") // => [{ digest, at }]
 */
export function withPromotion(
  entries: readonly TagHistoryEntry[],
  digest: Digest,
  at: string,
): TagHistoryEntry[] | undefined {
  if (headOf(entries) === digest) return undefined;
  if (isRolledBack(entries, digest)) return undefined;
  return [...entries, { digest, at }].slice(-TAG_HISTORY_LIMIT);
}

/** True when an operator rolled the tag back off `digest` (and has not rolled it forward to it since). */
export function isRolledBack(entries: readonly TagHistoryEntry[], digest: Digest): boolean {
  return entries.some((e) => e.digest === digest && e.rolledBackAt !== undefined);
}

/**
 * The history after an operator rolls the tag back (or forward) to `digest`: the digest it leaves is marked
 * rolled back, the digest it goes to is cleared of such a mark, and an entry recording who and why is
 * appended. Undefined when the tag's head already is `digest` (a repeated rollback changes nothing).
 * @example headOf(withRollback(entries, previous, at, { by: "alice", reason: "p99 latency" })!) // => previous
 */
export function withRollback(
  entries: readonly TagHistoryEntry[],
  digest: Digest,
  at: string,
  note: RollbackNote,
): TagHistoryEntry[] | undefined {
  const head = headOf(entries);
  if (head === digest) return undefined;
  const marked = entries.map((e): TagHistoryEntry => {
    if (e.digest === head && e.rolledBackAt === undefined) return { ...e, rolledBackAt: at };
    if (e.digest === digest && e.rolledBackAt !== undefined) {
      const { rolledBackAt: _, ...rest } = e;
      return rest;
    }
    return e;
  });
  const entry: TagHistoryEntry = {
    digest,
    at,
    cause: "rollback",
    by: note.by,
    reason: note.reason,
    ...(note.forced && { forced: true }),
  };
  return [...marked, entry].slice(-TAG_HISTORY_LIMIT);
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
