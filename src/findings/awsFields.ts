import { z } from "zod";
import {
  emptySeverityCounts,
  normalizeSeverity,
  parseDigest,
  parseRepositoryName,
  type Result,
  SEVERITIES,
  type Severity,
  type SeverityCounts,
} from "../core/index.ts";

const SEVERITY_NAMES = [...SEVERITIES, "UNTRIAGED"].join(", ");

/** A zod field that delegates to a src/core parser and keeps its message. */
function fromCoreParser<T>(parse: (value: unknown) => Result<T>) {
  return z.unknown().transform((value, ctx): T => {
    const result = parse(value);
    if (result.ok) return result.value;
    for (const issue of result.error) ctx.addIssue({ code: "custom", message: issue.message, input: value });
    return z.NEVER;
  });
}

/** `sha256:` + 64 lowercase hex, with core's explanation when not. */
export const digestField = fromCoreParser((value) => parseDigest(value));
/** An OCI repository name. */
export const repositoryField = fromCoreParser((value) => parseRepositoryName(value));

/** A severity in any AWS spelling, normalized (UNTRIAGED → UNDEFINED). */
export const severityField = z.unknown().transform((value, ctx): Severity => {
  const severity = typeof value === "string" ? normalizeSeverity(value) : undefined;
  if (severity) return severity;
  const message = value === undefined ? "is required" : `must be one of ${SEVERITY_NAMES}`;
  ctx.addIssue({ code: "custom", message, input: value });
  return z.NEVER;
});

/**
 * A timestamp as the wire (epoch seconds), the AWS CLI (ISO 8601) or SDK v3 (Date) gives it, as ISO 8601.
 */
export const timestampField = z.unknown().transform((value, ctx): string => {
  const date = toDate(value);
  if (date) return date.toISOString();
  ctx.addIssue({ code: "custom", message: "must be epoch seconds or an ISO 8601 timestamp", input: value });
  return z.NEVER;
});

/** `findingSeverityCounts` with AWS spellings normalized, zeros filled in and `TOTAL` ignored. */
export const severityCountsField = z
  .record(z.string(), z.number().int().nonnegative())
  .transform((record, ctx): SeverityCounts => {
    const counts = emptySeverityCounts();
    for (const [key, count] of Object.entries(record)) {
      if (key.toUpperCase() === "TOTAL") continue;
      const severity = normalizeSeverity(key);
      if (severity) counts[severity] += count;
      else
        ctx.addIssue({
          code: "custom",
          message: `is not a severity (${SEVERITY_NAMES})`,
          input: key,
          path: [key],
        });
    }
    return counts;
  });

function toDate(value: unknown): Date | undefined {
  let date: Date | undefined;
  if (value instanceof Date) date = value;
  else if (typeof value === "number" && value >= 0) date = new Date(value * 1000);
  else if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}T/.test(value)) date = new Date(value);
  return date && Number.isFinite(date.getTime()) ? date : undefined;
}
