import { z } from "zod";
import { type Digest, ok } from "../core/index.ts";
import { compact } from "./compact.ts";
import { defineContract } from "./EventContract.ts";
import { type EventBase, eventBase } from "./EventEnvelope.ts";
import { digestSchema, repositoryNameSchema, tagSchema } from "./fieldSchemas.ts";

/** An image (manifest or index) pushed to ECR, with the tag it was pushed under if any. */
export interface ImagePushed extends EventBase {
  readonly kind: "image-pushed";
  readonly repository: string;
  readonly digest: Digest;
  /** Absent for a push by digest (e.g. the per-platform images of a multi-arch index). */
  readonly tag?: string;
  /** The manifest media type, when ECR reports it (`manifest-media-type`). */
  readonly mediaType?: string;
  /** The artifact media type, when ECR reports it (`artifact-media-type`). */
  readonly artifactMediaType?: string;
}

/** An image or one of its tags deleted from ECR. */
export interface ImageDeleted extends Omit<ImagePushed, "kind"> {
  readonly kind: "image-deleted";
}

const detail = z.object({
  result: z.literal("SUCCESS", {
    error: "must be SUCCESS (a failed push or delete leaves no image to act on)",
  }),
  "action-type": z.enum(["PUSH", "DELETE"]),
  "repository-name": repositoryNameSchema,
  "image-digest": digestSchema,
  "image-tag": tagSchema.optional(),
  "manifest-media-type": z.string().min(1).optional(),
  "artifact-media-type": z.string().min(1).optional(),
});

/**
 * `ECR Image Action` (PUSH and DELETE, result SUCCESS) → `image-pushed` / `image-deleted`.
 * https://docs.aws.amazon.com/AmazonECR/latest/userguide/ecr-eventbridge.html
 */
export const ecrImageActionContract = defineContract({
  source: "aws.ecr",
  detailType: "ECR Image Action",
  detail,
  normalize(envelope, d) {
    return ok(
      compact({
        kind: d["action-type"] === "PUSH" ? "image-pushed" : "image-deleted",
        ...eventBase(envelope),
        repository: d["repository-name"],
        digest: d["image-digest"],
        tag: d["image-tag"],
        mediaType: d["manifest-media-type"],
        artifactMediaType: d["artifact-media-type"],
      } satisfies ImagePushed | ImageDeleted),
    );
  },
});
