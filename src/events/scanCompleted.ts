import type { Digest, ScanStatus, SeverityCounts } from "../core/index.ts";
import type { EventBase } from "./EventEnvelope.ts";

/** Which scanner produced a result: ECR basic scanning or Inspector (enhanced). */
export type Scanner = "basic" | "enhanced";

/**
 * A scan of one image (usually one platform of an index) reached a status. Produced from both
 * `ECR Image Scan` and `Inspector2 Scan`; counts have every severity, zeros filled in.
 */
export interface ScanCompleted extends EventBase {
  readonly kind: "scan-completed";
  readonly repository: string;
  readonly digest: Digest;
  /** Often empty: the per-platform images of a multi-arch index are untagged. */
  readonly tags: readonly string[];
  readonly scanner: Scanner;
  readonly status: ScanStatus;
  readonly counts: SeverityCounts;
}
