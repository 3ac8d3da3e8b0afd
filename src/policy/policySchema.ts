import { z } from "zod";
import { SEVERITIES } from "../core/index.ts";
import { allowlistExpiry } from "./allowlistExpiry.ts";
import { checkRepositoryGlob } from "./checkRepositoryGlob.ts";
import type { Policy } from "./Policy.ts";
import { policyDefaults } from "./policyDefaults.ts";

/** Longest scan wait a policy may ask for: a week. */
const MAX_TIMEOUT_MINUTES = 7 * 24 * 60;

/** A strict object whose unknown-key issue lists the keys it accepts. */
function strict<T extends z.ZodRawShape>(shape: T, what = "a known field") {
  const known = Object.keys(shape).join(", ");
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === "unrecognized_keys" ? `is not ${what} (expected one of: ${known})` : undefined,
  });
}

const count = z.number().int().nonnegative();

const severityLimits = strict(
  Object.fromEntries(SEVERITIES.map((severity) => [severity, count.nullable().optional()])) as Record<
    (typeof SEVERITIES)[number],
    z.ZodOptional<z.ZodNullable<typeof count>>
  >,
  "a severity",
);

const thresholds = strict({ fixable: severityLimits.optional(), unfixable: severityLimits.optional() });

/**
 * The top-level thresholds must limit something, or say explicitly that they do not: `thresholds: {}`
 * would otherwise pass every finding without a word. Checked only once the tables themselves are valid.
 */
const topThresholds = thresholds.superRefine(
  (value, ctx) => {
    const tables = [value.fixable ?? {}, value.unfixable ?? {}];
    const limitsSomething = tables.some((table) =>
      Object.values(table).some((limit) => typeof limit === "number"),
    );
    const explicitlyUnlimited = tables.every((table) => table.CRITICAL === null);
    if (limitsSomething || explicitlyUnlimited) return;
    ctx.addIssue({
      code: "custom",
      input: value,
      message:
        "limit nothing, so every finding would pass: set a limit such as `fixable: { CRITICAL: 0 }`, or write " +
        "`fixable: { CRITICAL: null }, unfixable: { CRITICAL: null }` to gate on the scan alone",
    });
  },
  { when: (payload) => payload.issues.length === 0 },
);

const glob = z.string().superRefine((pattern, ctx) => {
  const problem = checkRepositoryGlob(pattern);
  if (problem) ctx.addIssue({ code: "custom", message: problem, input: pattern });
});

const expires = z
  .string({ error: (issue) => (issue.input === undefined ? undefined : "must be a date written YYYY-MM-DD") })
  .superRefine((text, ctx) => {
    if (!allowlistExpiry(text))
      ctx.addIssue({ code: "custom", message: "must be a real date written YYYY-MM-DD", input: text });
  });

const allowlistEntry = strict({
  id: z.string().trim().min(1).regex(/^\S+$/, { error: "must not contain spaces" }),
  reason: z.string().trim().min(1),
  owner: z.string().trim().min(1),
  expires,
  repositories: z.array(glob).min(1).optional(),
});

const unsupportedImageException = strict({
  repositories: z.array(glob).min(1),
  reason: z.string().trim().min(1),
  owner: z.string().trim().min(1),
  expires,
});

const fixability = z.enum(["fixable", "unfixable"]);
const graceDemotion = strict({
  action: z.literal("demote"),
  afterDays: z.number().int().nonnegative().max(365),
});
/** "notify", "demote", or a grace period; a refusal names the accepted forms. */
const onNewFinding = z.union([z.enum(["notify", "demote"]), graceDemotion], {
  error: (issue) =>
    typeof issue.input === "object" && issue.input !== null
      ? "must be { action: demote, afterDays: N } (N whole days, 0 to 365)"
      : 'must be one of "notify", "demote", or { action: demote, afterDays: N }',
});
const days = z.number().int().nonnegative().max(365);
const scan = strict({ timeoutMinutes: z.number().int().min(1).max(MAX_TIMEOUT_MINUTES) });

const override = strict({
  repositories: z.array(glob).min(1),
  thresholds: thresholds.optional(),
  unknownFix: fixability.optional(),
  allowlist: z.array(allowlistEntry).optional(),
  unsupportedImages: z.array(unsupportedImageException).optional(),
  warnExpiringWithinDays: days.optional(),
  scan: scan.optional(),
  onNewFinding: onNewFinding.optional(),
});

const provenance = strict({
  required: z.boolean(),
  sourceRepository: z.url({
    protocol: /^https?$/,
    error: "must be the repository's https URL, e.g. https://github.com/org/app",
  }),
  builderPrefix: z.string().min(1).optional(),
});

/** The policy file schema: strict (unknown keys refused by name), defaults from {@link policyDefaults}. */
export const policySchema = strict({
  version: z.literal(1),
  thresholds: topThresholds,
  unknownFix: fixability.default(policyDefaults.unknownFix),
  allowlist: z.array(allowlistEntry).default([]),
  unsupportedImages: z.array(unsupportedImageException).default([]),
  warnExpiringWithinDays: days.default(policyDefaults.warnExpiringWithinDays),
  scan: scan.default(policyDefaults.scan),
  onNewFinding: onNewFinding.default(policyDefaults.onNewFinding),
  overrides: z.array(override).default([]),
  provenance: provenance.optional(),
}) satisfies z.ZodType<Policy>;
