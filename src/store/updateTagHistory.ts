import type { Digest } from "../core/digest.ts";
import { StoreConflictError } from "./errors.ts";
import type { RepositoryKey } from "./keys.ts";
import type { ReleaseStore, VersionedState } from "./ReleaseStore.ts";
import { storeDefaults } from "./storeDefaults.ts";
import {
  headOf,
  type RollbackNote,
  type TagHistoryEntry,
  withDemotion,
  withPromotion,
  withRollback,
} from "./TagHistory.ts";

/** Which way a tag's history changes. */
export type TagHistoryChange =
  | { readonly kind: "promoted"; readonly digest: Digest }
  | { readonly kind: "demoted"; readonly digest: Digest }
  | { readonly kind: "rolled-back"; readonly digest: Digest; readonly note: RollbackNote };

/** The tag's head after the change, and whether anything was written. */
export interface TagHistoryUpdate {
  readonly tag: string;
  /** Where the tag should point now; undefined when every digest it had was demoted. */
  readonly head: Digest | undefined;
  /** The head before the change. */
  readonly previousHead: Digest | undefined;
  readonly written: boolean;
}

/**
 * Applies a promotion or demotion to a tag's history with a conditional write, re-reading on conflict. A
 * repeated change is a no-op (`written: false`), so a retried promotion or demotion converges.
 * @example await updateTagHistory(store, { region, repository }, "main", { kind: "demoted", digest }, now)
 */
export async function updateTagHistory<S extends VersionedState, Scan>(
  store: ReleaseStore<S, Scan>,
  repository: RepositoryKey,
  tag: string,
  change: TagHistoryChange,
  now: Date,
): Promise<TagHistoryUpdate> {
  const at = now.toISOString();
  for (let attempt = 1; attempt <= storeDefaults.maxSaveAttempts; attempt++) {
    const history = await store.getTagHistory(repository, tag);
    const previousHead = headOf(history.entries);
    const next = apply(history.entries, change, at);
    if (next === undefined) return { tag, head: previousHead, previousHead, written: false };
    if ((await store.saveTagHistory(repository, tag, next, history.revision)) === "saved")
      return { tag, head: headOf(next), previousHead, written: true };
  }
  throw new StoreConflictError("update tag history", { ...repository, tag }, storeDefaults.maxSaveAttempts);
}

function apply(
  entries: readonly TagHistoryEntry[],
  change: TagHistoryChange,
  at: string,
): TagHistoryEntry[] | undefined {
  switch (change.kind) {
    case "promoted":
      return withPromotion(entries, change.digest, at);
    case "demoted":
      return withDemotion(entries, change.digest, at);
    case "rolled-back":
      return withRollback(entries, change.digest, at, change.note);
  }
}
