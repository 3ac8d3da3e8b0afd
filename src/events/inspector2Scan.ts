import { z } from "zod";
import { fail, ok, SCAN_STATUSES, type ScanStatus } from "../core/index.ts";
import { defineContract } from "./EventContract.ts";
import { eventBase } from "./EventEnvelope.ts";
import { digestSchema, repositoryRefSchema, severityCountsSchema, tagSchema } from "./fieldSchemas.ts";
import { registryMismatch } from "./registryMismatch.ts";
import type { ScanCompleted } from "./scanCompleted.ts";

/** Inspector's own status for the first scan of an image; it means the findings are complete. */
const INITIAL_SCAN_COMPLETE = "INITIAL_SCAN_COMPLETE";

const detail = z.object({
  "scan-status": z.enum([INITIAL_SCAN_COMPLETE, ...SCAN_STATUSES]),
  "repository-name": repositoryRefSchema,
  "image-digest": digestSchema,
  "image-tags": z.array(tagSchema).default([]),
  "finding-severity-counts": severityCountsSchema,
});

/**
 * `Inspector2 Scan` (enhanced scanning, initial scan only) → `scan-completed` with scanner `enhanced`.
 * `detail.repository-name` holds the repository ARN: it is resolved to the name and must point at the
 * account and region the event came from. `INITIAL_SCAN_COMPLETE` maps to COMPLETE; `TOTAL` is dropped.
 * https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-scanning-enhanced-events.html
 */
export const inspector2ScanContract = defineContract({
  source: "aws.inspector2",
  detailType: "Inspector2 Scan",
  detail,
  normalize(envelope, d) {
    const repository = d["repository-name"];
    if (repository.arn) {
      const issues = registryMismatch(
        repository.arn,
        envelope,
        "detail.repository-name",
        envelope.detail["repository-name"],
      );
      if (issues.length > 0) return fail(issues);
    }
    const raw = d["scan-status"];
    const status: ScanStatus = raw === INITIAL_SCAN_COMPLETE ? "COMPLETE" : raw;
    return ok({
      kind: "scan-completed",
      ...eventBase(envelope),
      repository: repository.name,
      digest: d["image-digest"],
      tags: d["image-tags"],
      scanner: "enhanced",
      status,
      counts: d["finding-severity-counts"],
    } satisfies ScanCompleted);
  },
});
