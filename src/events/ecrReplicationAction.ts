import { z } from "zod";
import { type Digest, ok } from "../core/index.ts";
import { compact } from "./compact.ts";
import { defineContract } from "./EventContract.ts";
import { type EventBase, eventBase } from "./EventEnvelope.ts";
import {
  accountIdSchema,
  digestSchema,
  regionSchema,
  repositoryNameSchema,
  tagSchema,
} from "./fieldSchemas.ts";

/**
 * ECR's native replication copied an image into this (the destination) region, or failed to. `result` is
 * kept: a failure is worth reporting, and the kind alone must not be read as success. AWS's documented
 * failure sample says `FAILED`; `FAILURE` (the word ECR's other actions use) is read the same way.
 */
export interface ImageReplicated extends EventBase {
  readonly kind: "image-replicated";
  readonly result: "SUCCESS" | "FAILED";
  readonly repository: string;
  readonly digest: Digest;
  readonly tag?: string;
  readonly sourceAccount: string;
  readonly sourceRegion: string;
}

/** Every `result` AWS documents for this event ("Event for a failed image replication" says FAILED). */
const REPLICATION_RESULTS = ["SUCCESS", "FAILED", "FAILURE"] as const;

const detail = z.object({
  result: z.enum(REPLICATION_RESULTS),
  "action-type": z.literal("REPLICATE"),
  "repository-name": repositoryNameSchema,
  "image-digest": digestSchema,
  "image-tag": tagSchema.optional(),
  "source-account": accountIdSchema,
  "source-region": regionSchema,
});

/**
 * `ECR Replication Action` (emitted in the destination region) → `image-replicated`.
 * https://docs.aws.amazon.com/AmazonECR/latest/userguide/ecr-eventbridge.html
 */
export const ecrReplicationActionContract = defineContract({
  source: "aws.ecr",
  detailType: "ECR Replication Action",
  detail,
  normalize(envelope, d) {
    return ok(
      compact({
        kind: "image-replicated",
        ...eventBase(envelope),
        result: d.result === "SUCCESS" ? "SUCCESS" : "FAILED",
        repository: d["repository-name"],
        digest: d["image-digest"],
        tag: d["image-tag"],
        sourceAccount: d["source-account"],
        sourceRegion: d["source-region"],
      } satisfies ImageReplicated),
    );
  },
});
