import { fail, ok, type Result } from "../core/result.ts";

/** One message read from a dead-letter queue (SQS ReceiveMessage), as the queue port gives it. */
export interface QueueMessage {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly body: string;
  /** String message attributes (`ERROR_CODE`, `ERROR_MESSAGE`, `RULE_ARN`; Lambda's `ErrorCode`, `ErrorMessage`). */
  readonly attributes: Readonly<Record<string, string>>;
}

/** A dead letter understood: the event to send back, why it failed, and who put it there. */
export interface DeadLetter {
  readonly messageId: string;
  readonly receiptHandle: string;
  /** What the function is invoked with again: the original event, SNS messages wrapped as Lambda gets them. */
  readonly event: unknown;
  readonly reason: string;
  /** EventBridge could not deliver; Lambda gave up on an invocation; SNS could not deliver. */
  readonly origin: "eventbridge" | "lambda" | "sns";
}

/**
 * Reads a dead letter of a Portcullis function's queue, which holds one of three shapes:
 * - a Lambda failure record (`requestContext`, `requestPayload` is the event, `responsePayload.errorMessage` why);
 * - an event EventBridge could not deliver, with `ERROR_CODE`/`ERROR_MESSAGE` attributes
 *   (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html), or one Lambda's async
 *   dead-letter queue kept, with `ErrorCode`/`ErrorMessage` attributes;
 * - an SNS message SNS could not deliver to `notify` (`Type: Notification`), wrapped as Lambda receives it,
 *   `{ Records: [{ EventSource: "aws:sns", Sns: … }] }`
 *   (https://docs.aws.amazon.com/lambda/latest/dg/with-sns.html).
 * A body that is not JSON is refused, naming the message. Pure.
 * @example readDeadLetter({ messageId, receiptHandle, body, attributes: { ERROR_CODE: "…" } }).value.event
 */
export function readDeadLetter(message: QueueMessage): Result<DeadLetter> {
  let body: unknown;
  try {
    body = JSON.parse(message.body);
  } catch {
    return fail([
      { field: `message ${message.messageId}`, value: message.body.slice(0, 80), message: "is not JSON" },
    ]);
  }
  const base = { messageId: message.messageId, receiptHandle: message.receiptHandle };
  const record = body as Record<string, unknown>;
  if (isObject(record) && isObject(record.requestContext) && "requestPayload" in record) {
    const response = record.responsePayload as { errorMessage?: string; errorType?: string } | undefined;
    const condition = String((record.requestContext as Record<string, unknown>).condition ?? "failed");
    const reason = response?.errorMessage
      ? `${response.errorType ?? "Error"}: ${response.errorMessage}`
      : `the invocation ended ${condition}`;
    return ok({ ...base, event: record.requestPayload, reason, origin: "lambda" });
  }
  const { attributes } = message;
  const code = attributes.ERROR_CODE ?? attributes.ErrorCode;
  const text = attributes.ERROR_MESSAGE ?? attributes.ErrorMessage;
  const reason = [code, text].filter(Boolean).join(": ") || "no reason recorded";
  if (isObject(record) && record.Type === "Notification" && typeof record.TopicArn === "string")
    return ok({
      ...base,
      event: { Records: [{ EventSource: "aws:sns", EventVersion: "1.0", Sns: record }] },
      reason: code || text ? reason : "SNS could not deliver it to the function",
      origin: "sns",
    });
  return ok({ ...base, event: body, reason, origin: attributes.ERROR_CODE ? "eventbridge" : "lambda" });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
