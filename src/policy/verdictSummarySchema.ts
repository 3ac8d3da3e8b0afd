import { z } from "zod";
import { SCAN_STATUSES, SEVERITIES } from "../core/index.ts";
import type { ReasonSummary, VerdictSummary, WarningSummary } from "./VerdictSummary.ts";

const severity = z.enum(SEVERITIES);
const fixability = z.enum(["fixable", "unfixable"]);
const count = z.number().int().nonnegative();
const counts = z.object(
  Object.fromEntries(SEVERITIES.map((s) => [s, count])) as Record<(typeof SEVERITIES)[number], typeof count>,
);
const limit = z.number().int().nonnegative().nullable();
const limits = z.object(
  Object.fromEntries(SEVERITIES.map((s) => [s, limit])) as Record<(typeof SEVERITIES)[number], typeof limit>,
);
const text = z.string();
const nullableText = z.string().nullable();
const reasonKind = z.enum([
  "no-platforms",
  "duplicate-platform",
  "scan-missing",
  "scan-mismatch",
  "scan-status-not-passable",
  "findings-incomplete",
  "threshold-exceeded",
  "provenance-mismatch",
] satisfies ReasonSummary["kind"][]);
const warningKind = z.enum([
  "allowlist-expiring-soon",
  "allowlist-expired",
  "allowlist-unused",
  "unsupported-image-excepted",
  "exception-expiring-soon",
  "exception-expired",
] satisfies WarningSummary["kind"][]);

const finding = z.object({
  id: text,
  severity,
  fixability,
  platforms: z.array(text),
  package: nullableText,
  installed: nullableText,
  fixedIn: nullableText,
  link: nullableText,
  title: nullableText,
});

const bounded = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), omitted: count });

/** Validates a stored {@link VerdictSummary} (the gate's decision reasons) before it is rendered. */
export const verdictSummarySchema = z.object({
  kind: z.literal("verdict"),
  schema: z.literal(1),
  outcome: z.enum(["pass", "fail"]),
  repository: text,
  evaluatedAt: text,
  limits: z.object({ fixable: limits, unfixable: limits }),
  platforms: z.array(
    z.object({
      platform: text,
      digest: text,
      outcome: z.enum(["pass", "fail"]),
      status: z.enum([...SCAN_STATUSES, "MISSING"]),
      counts,
      counted: z.object({ fixable: counts, unfixable: counts }),
      blocking: count,
      allowlisted: count,
    }),
  ),
  blocking: bounded(finding),
  allowlisted: bounded(finding.extend({ expiresAt: text, owner: text, reason: text, entry: text })),
  expiredAllowlist: bounded(finding.extend({ expiredAt: text, owner: text, entry: text })),
  reasons: bounded(z.object({ kind: reasonKind, platform: nullableText, text })),
  warnings: bounded(
    z.object({
      kind: warningKind,
      id: text,
      text,
      // Optional: verdicts stored before it was kept still parse.
      exception: z.object({ platform: text, expiresAt: text, owner: text, reason: text }).optional(),
    }),
  ),
}) satisfies z.ZodType<VerdictSummary>;
