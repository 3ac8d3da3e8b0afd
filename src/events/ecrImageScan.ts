import { z } from "zod";
import { ok, SCAN_STATUSES } from "../core/index.ts";
import { defineContract } from "./EventContract.ts";
import { eventBase } from "./EventEnvelope.ts";
import { digestSchema, repositoryNameSchema, severityCountsSchema, tagSchema } from "./fieldSchemas.ts";
import type { ScanCompleted } from "./scanCompleted.ts";

const detail = z.object({
  "scan-status": z.enum(SCAN_STATUSES),
  "repository-name": repositoryNameSchema,
  "image-digest": digestSchema,
  "image-tags": z.array(tagSchema).default([]),
  "finding-severity-counts": severityCountsSchema,
});

/**
 * `ECR Image Scan` (basic scanning) → `scan-completed` with scanner `basic`. The repository is a plain
 * name; zero counts are omitted by ECR and filled in here.
 * https://docs.aws.amazon.com/AmazonECR/latest/userguide/ecr-eventbridge.html
 */
export const ecrImageScanContract = defineContract({
  source: "aws.ecr",
  detailType: "ECR Image Scan",
  detail,
  normalize(envelope, d) {
    return ok({
      kind: "scan-completed",
      ...eventBase(envelope),
      repository: d["repository-name"],
      digest: d["image-digest"],
      tags: d["image-tags"],
      scanner: "basic",
      status: d["scan-status"],
      counts: d["finding-severity-counts"],
    } satisfies ScanCompleted);
  },
});
