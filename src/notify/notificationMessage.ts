import { z } from "zod";
import { parseWithSchema, type Result, SEVERITIES } from "../core/index.ts";
import { candidateKeySchema, gitInfoSchema } from "../events/index.ts";

const text = z.string();
const json: z.ZodType<unknown> = z.unknown();
const common = {
  candidate: candidateKeySchema,
  git: gitInfoSchema.default({}),
  tags: z.array(text).default([]),
  reasons: z.array(text).default([]),
  /** The decision's signed verification summary, and the command that verifies it. */
  attestation: z.object({ result: z.enum(["PASSED", "FAILED"]), verify: text }).optional(),
};

/**
 * The notification bodies Portcullis publishes (by the gate, the reconciler and the replicate handler), as the
 * Slack subscriber reads them: one kind per outcome. Unknown extra fields are kept out, missing optional ones
 * default, so older and newer publishers both parse.
 */
export const notificationMessageSchema = z.discriminatedUnion("kind", [
  z.object({
    ...common,
    kind: z.literal("release-rejected"),
    outcome: z.enum(["failed", "timed-out"]),
    decision: json.optional(),
  }),
  z.object({ ...common, kind: z.literal("image-promoted"), decision: json.optional() }),
  z.object({
    ...common,
    kind: z.literal("finding-on-promoted-image"),
    finding: z.object({
      id: text,
      severity: z.enum(SEVERITIES),
      title: text.default(""),
      platform: text.default(""),
      findingArn: text,
      sourceUrl: text.nullable().default(null),
    }),
    action: z.enum(["notify", "demote"]).default("notify"),
    demotion: z.array(z.object({ tag: text, digest: text.nullable() })).optional(),
    /** A grace period: when the tags leave the image unless the finding is gone, and the days left then. */
    demoteAt: text.optional(),
    daysLeft: z.number().int().nonnegative().optional(),
  }),
  z.object({
    ...common,
    kind: z.literal("image-unmonitored"),
    platforms: z.array(text).default([]),
    since: text,
  }),
  z.object({
    ...common,
    kind: z.literal("release-rolled-back"),
    /** Where each tag pointed before. */
    from: z.record(text, text).default({}),
    by: text.default(""),
    forced: z.boolean().default(false),
    failedRegions: z.array(text).default([]),
  }),
  z.object({
    ...common,
    kind: z.literal("replication-failed"),
    region: text,
    error: text.default(""),
    attempts: z.number().int().nonnegative().default(1),
  }),
]);

/** A notification body, validated: what the Slack message is rendered from. */
export type NotificationMessage = z.output<typeof notificationMessageSchema>;

/**
 * Validates a notification body (the JSON of an SNS message), naming each refused field and value.
 * @example const message = parseNotificationMessage(JSON.parse(record.Sns.Message));
 */
export function parseNotificationMessage(body: unknown): Result<NotificationMessage> {
  return parseWithSchema(notificationMessageSchema, body, "message");
}
