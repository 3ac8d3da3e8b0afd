import { createHash } from "node:crypto";
import { type MessageAttributeValue, PublishCommand, type SNSClient } from "@aws-sdk/client-sns";
import type { Notification, NotificationPublisher } from "../handlers/ports.ts";
import { NotificationTooLargeError } from "./errors.ts";

/** Options for {@link SnsNotificationPublisher}. */
export interface SnsNotificationPublisherOptions {
  readonly client: Pick<SNSClient, "send">;
  readonly topicArn: string;
}

/** SNS limits: subject under 100 characters, 10 message attributes, 256 KiB per message. */
const MAX_SUBJECT = 99;
const MAX_ATTRIBUTES = 10;
const MAX_MESSAGE_BYTES = 256 * 1024;
/** FIFO de-duplication ids: at most 128 characters, alphanumerics and punctuation. */
const DEDUPLICATION_ID = /^[A-Za-z0-9!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]{1,128}$/;

// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]+/g;

/**
 * {@link NotificationPublisher} on an SNS topic. The body is the JSON message; attributes become String
 * message attributes (subscription filter policies match them; empty values are left out, as SNS refuses
 * them) plus `id`, the notification's de-duplication id. On a FIFO topic (`….fifo`) the id is also the
 * MessageDeduplicationId and the repository the MessageGroupId. The subject is made to fit SNS's rules
 * (one line, no control characters, under 100 characters).
 * https://docs.aws.amazon.com/sns/latest/api/API_Publish.html
 * @example await new SnsNotificationPublisher({ client, topicArn }).publish({ subject, body, attributes, id });
 */
export class SnsNotificationPublisher implements NotificationPublisher {
  readonly #options: SnsNotificationPublisherOptions;
  readonly #fifo: boolean;

  constructor(options: SnsNotificationPublisherOptions) {
    this.#options = options;
    this.#fifo = options.topicArn.endsWith(".fifo");
  }

  async publish(notification: Notification): Promise<void> {
    const message = JSON.stringify(notification.body);
    const bytes = Buffer.byteLength(message, "utf8");
    if (bytes > MAX_MESSAGE_BYTES) throw new NotificationTooLargeError(notification.id, bytes);
    await this.#options.client.send(
      new PublishCommand({
        TopicArn: this.#options.topicArn,
        Subject: snsSubject(notification.subject),
        Message: message,
        MessageAttributes: messageAttributes(notification),
        ...(this.#fifo && {
          MessageGroupId: notification.attributes.repository || "portcullis",
          MessageDeduplicationId: deduplicationId(notification.id),
        }),
      }),
    );
  }
}

/**
 * A subject SNS accepts: control characters and line breaks become spaces, runs of spaces collapse, and a
 * subject of 100 characters or more is cut to 99 ending in "...". Falls back to "Portcullis" when empty.
 * @example snsSubject("Rejected:\nteam/app") // => "Rejected: team/app"
 */
export function snsSubject(subject: string): string {
  const clean = subject.replace(CONTROL, " ").replace(/\s+/g, " ").trim();
  const text = clean.length > 0 ? clean : "Portcullis";
  const chars = [...text];
  return chars.length <= MAX_SUBJECT
    ? text
    : `${chars
        .slice(0, MAX_SUBJECT - 3)
        .join("")
        .trimEnd()}...`;
}

function messageAttributes(notification: Notification): Record<string, MessageAttributeValue> {
  const entries = Object.entries({ id: notification.id, ...notification.attributes })
    .filter(([, value]) => typeof value === "string" && value.length > 0)
    .slice(0, MAX_ATTRIBUTES);
  return Object.fromEntries(entries.map(([key, value]) => [key, { DataType: "String", StringValue: value }]));
}

/** The notification id when SNS accepts it as is, else its SHA-256 (same id, same hash). */
export function deduplicationId(id: string): string {
  return DEDUPLICATION_ID.test(id) ? id : createHash("sha256").update(id).digest("hex");
}
