import type { ScanRecord } from "../release/Candidate.ts";
import { pickScan } from "../release/pickScan.ts";
import { StoreConflictError } from "./errors.ts";
import type { ImageKey } from "./keys.ts";
import type { ReleaseStore, VersionedState } from "./ReleaseStore.ts";

/** What {@link keepImageScan} did: stored the incoming result, kept the stored one, or saw the same again. */
export type KeptScan = "stored" | "kept-current" | "duplicate";

/** Options of {@link keepImageScan}. */
export interface KeepImageScanOptions {
  /** Conditional writes tried before giving up on a hot image. */
  readonly maxAttempts?: number;
}

/**
 * Keeps the scan result of a platform image that wins by the same rule a candidate uses ({@link pickScan}):
 * a terminal result over a pending one, then the newer, then the more severe. So a scan kept for a candidate
 * registered later is the one it would have kept itself, whatever order the events came in.
 * @example await keepImageScan(store, { region, repository, digest }, record) // => "stored"
 */
export async function keepImageScan<S extends VersionedState>(
  store: ReleaseStore<S, ScanRecord>,
  image: ImageKey,
  incoming: ScanRecord,
  options: KeepImageScanOptions = {},
): Promise<KeptScan> {
  const maxAttempts = options.maxAttempts ?? 5;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const stored = await store.getImageScan(image);
    const choice = pickScan(stored?.scan, incoming);
    if (choice === "identical") return "duplicate";
    if (choice === "current") return "kept-current";
    const written = await store.replaceImageScan(image, incoming, incoming.at, stored?.revision ?? 0);
    if (written === "stored") return "stored";
  }
  throw new StoreConflictError("keep scan", image, maxAttempts);
}
