import { z } from "zod";
import {
  type Digest,
  emptySeverityCounts,
  normalizeSeverity,
  parseDigest,
  parseRepositoryName,
  parseTagName,
  type Result,
  type Severity,
  type SeverityCounts,
} from "../core/index.ts";
import { parseRepositoryArn, type RepositoryArn } from "./repositoryArn.ts";

/**
 * Lifts a src/core parser into a zod schema, so one pass reports structural and domain issues together
 * and the messages stay the core's own ("must have 64 hex characters after sha256:, not 60").
 */
export function fromCoreParser<T>(parse: (value: string) => Result<T>) {
  return z.string().transform((value, ctx): T => {
    const result = parse(value);
    if (result.ok) return result.value;
    for (const issue of result.error)
      ctx.issues.push({ code: "custom", message: issue.message, input: value });
    return z.NEVER;
  });
}

/** An AWS account id: exactly 12 digits. */
export const accountIdSchema = z
  .string()
  .regex(/^\d{12}$/, { error: "must be an AWS account id of 12 digits" });

/** An AWS region such as `us-east-1`, `eu-central-2` or `us-gov-west-1`. */
export const regionSchema = z
  .string()
  .regex(/^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/, { error: "must be an AWS region like us-east-1" });

/** EventBridge's `time`: ISO 8601 in UTC, e.g. `2019-11-16T02:01:05Z`. */
export const timestampSchema = z.iso.datetime({
  error: "must be an ISO 8601 UTC time like 2019-11-16T02:01:05Z",
});

/** A digest: `sha256:` and 64 lowercase hex (AWS's sample placeholders are refused). */
export const digestSchema = fromCoreParser<Digest>((value) => parseDigest(value));

/** A repository name in the OCI grammar (may contain `/`). */
export const repositoryNameSchema = fromCoreParser<string>((value) => parseRepositoryName(value));

/** An image tag in the OCI grammar. */
export const tagSchema = fromCoreParser<string>((value) => parseTagName(value));

/** A repository given by ARN (Inspector) or by name (ECR); yields the name and, for an ARN, its parts. */
export const repositoryRefSchema = fromCoreParser<{ name: string; arn?: RepositoryArn }>((value) => {
  if (value.startsWith("arn:")) {
    const arn = parseRepositoryArn(value);
    return arn.ok ? { ok: true, value: { name: arn.value.name, arn: arn.value } } : arn;
  }
  const name = parseRepositoryName(value);
  return name.ok ? { ok: true, value: { name: name.value } } : name;
});

const count = z.number().int().nonnegative();

/**
 * `finding-severity-counts`: every severity filled in (AWS omits zeros), `TOTAL` dropped (Inspector's
 * own sample has a TOTAL that is not the sum), Inspector's `UNTRIAGED` counted as UNDEFINED, and an
 * unknown severity refused under its own key. A missing object means no findings.
 */
export const severityCountsSchema = z
  .record(z.string(), count, {
    error: (issue) =>
      issue.code === "invalid_type" && issue.input !== undefined
        ? "must be an object of severity counts"
        : undefined,
  })
  .optional()
  .transform((raw, ctx): SeverityCounts => {
    const counts = emptySeverityCounts();
    for (const [key, value] of Object.entries(raw ?? {})) {
      if (key.toUpperCase() === "TOTAL") continue;
      const severity: Severity | undefined = normalizeSeverity(key);
      if (severity) counts[severity] += value;
      else
        ctx.issues.push({
          code: "custom",
          path: [key],
          input: key,
          message:
            "is not a known severity (CRITICAL, HIGH, MEDIUM, LOW, INFORMATIONAL, UNDEFINED, UNTRIAGED, TOTAL)",
        });
    }
    return counts;
  });
