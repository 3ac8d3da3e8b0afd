import { randomUUID } from "node:crypto";
import { promotionNotification, rejectionNotification } from "../../src/handlers/effects/notifications.ts";
import type { Notification } from "../../src/handlers/ports.ts";
import { failureNotification } from "../../src/handlers/replicate/replicateEffects.ts";
import type { DecidedCandidate, PromotedCandidate } from "../../src/release/index.ts";
import { promoted, rejected } from "../report/candidates.ts";

export const TOPIC = "arn:aws:sns:us-east-1:123456789012:portcullis-notifications";

/** The gate's notification for a rejected candidate (the handlers' own builder). */
export function rejection(n = 2): Notification {
  return rejectionNotification(rejected(n) as DecidedCandidate, {});
}

/** The gate's notification for a promotion. */
export function promotion(): Notification {
  return promotionNotification(promoted("replicated") as PromotedCandidate, {});
}

/** The replicate handler's notification for a failed region. */
export function replicationFailure(): Notification {
  const state = promoted("failed") as PromotedCandidate;
  const replica = state.replicas["ap-south-1"];
  if (!replica) throw new Error("no replica");
  return failureNotification(state, "ap-south-1", replica);
}

/** An SNS event delivering notifications as SnsNotificationPublisher publishes them (body JSON, attributes with the id). */
export function snsEvent(...notifications: Notification[]): Record<string, unknown> {
  return {
    Records: notifications.map((n) => ({
      EventVersion: "1.0",
      EventSource: "aws:sns",
      EventSubscriptionArn: `${TOPIC}:${randomUUID()}`,
      Sns: {
        Type: "Notification",
        MessageId: randomUUID(),
        TopicArn: TOPIC,
        Subject: n.subject,
        Message: JSON.stringify(n.body),
        Timestamp: new Date().toISOString(),
        SignatureVersion: "1",
        Signature: "EXAMPLE",
        SigningCertUrl: "https://sns.us-east-1.amazonaws.com/cert.pem",
        UnsubscribeUrl: "https://sns.us-east-1.amazonaws.com/unsubscribe",
        MessageAttributes: Object.fromEntries(
          Object.entries({ id: n.id, ...n.attributes }).map(([k, v]) => [k, { Type: "String", Value: v }]),
        ),
      },
    })),
  };
}
