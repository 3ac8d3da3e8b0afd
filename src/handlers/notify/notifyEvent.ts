import { createHash } from "node:crypto";
import { fail, ok, type Result, type ValidationIssue } from "../../core/index.ts";
import { type NotificationMessage, parseNotificationMessage } from "../../notify/index.ts";

/** One SNS record's notification, validated. */
export interface NotificationRecord {
  /** The notification's de-duplication id (the `id` message attribute), or one derived from the SNS message id. */
  readonly id: string;
  readonly message: NotificationMessage;
  readonly topicArn: string;
  readonly attributes: Readonly<Record<string, string>>;
}

/**
 * Reads an SNS event (Records[].Sns: Message = the notification body as JSON, MessageAttributes = its
 * attributes, `id` among them) into notifications, or every issue naming the record and field.
 * https://docs.aws.amazon.com/lambda/latest/dg/with-sns.html
 * @example const records = parseNotifyEvent(event); if (!records.ok) throw new ValidationError("SNS event", records.error);
 */
export function parseNotifyEvent(raw: unknown): Result<NotificationRecord[]> {
  const records = (raw as { Records?: unknown } | null)?.Records;
  if (!Array.isArray(records) || records.length === 0)
    return fail([{ field: "Records", value: records, message: "must be a non-empty array of SNS records" }]);
  const issues: ValidationIssue[] = [];
  const parsed: NotificationRecord[] = [];
  records.forEach((record: unknown, i) => {
    const result = parseRecord(record, `Records[${i}].Sns`);
    if (result.ok) parsed.push(result.value);
    else issues.push(...result.error);
  });
  return issues.length > 0 ? fail(issues) : ok(parsed);
}

function parseRecord(record: unknown, field: string): Result<NotificationRecord> {
  const sns = (record as { Sns?: Record<string, unknown> } | null)?.Sns;
  if (typeof sns !== "object" || sns === null)
    return fail([{ field, value: sns, message: "must be an SNS message" }]);
  if (typeof sns.Message !== "string")
    return fail([{ field: `${field}.Message`, value: sns.Message, message: "must be a string" }]);
  let body: unknown;
  try {
    body = JSON.parse(sns.Message);
  } catch {
    return fail([{ field: `${field}.Message`, value: sns.Message.slice(0, 200), message: "must be JSON" }]);
  }
  const message = parseNotificationMessage(body);
  if (!message.ok)
    return fail(
      message.error.map((i) => ({ ...i, field: `${field}.Message.${i.field.replace(/^message\.?/, "")}` })),
    );
  const attributes = readAttributes(sns.MessageAttributes);
  const messageId =
    typeof sns.MessageId === "string"
      ? sns.MessageId
      : createHash("sha256").update(sns.Message).digest("hex");
  return ok({
    id: attributes.id ?? `sns:${messageId}`,
    message: message.value,
    topicArn: typeof sns.TopicArn === "string" ? sns.TopicArn : "",
    attributes,
  });
}

function readAttributes(raw: unknown): Record<string, string> {
  if (typeof raw !== "object" || raw === null) return {};
  return Object.fromEntries(
    Object.entries(raw as Record<string, { Value?: unknown }>).flatMap(([name, attribute]) =>
      typeof attribute?.Value === "string" ? [[name, attribute.Value]] : [],
    ),
  );
}
