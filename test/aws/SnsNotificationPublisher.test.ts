import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { NotificationTooLargeError } from "../../src/aws/errors.ts";
import {
  deduplicationId,
  SnsNotificationPublisher,
  snsSubject,
} from "../../src/aws/SnsNotificationPublisher.ts";
import type { Notification } from "../../src/handlers/ports.ts";

const snsMock = mockClient(SNSClient);
afterEach(() => snsMock.reset());

const client = new SNSClient({
  region: "us-east-1",
  credentials: { accessKeyId: "k", secretAccessKey: "s" },
});
const TOPIC = "arn:aws:sns:us-east-1:123456789012:portcullis";

const notification: Notification = {
  id: "team/app@sha256:abc/replication-failed/eu-west-1",
  subject: "Replication failed: team/app to eu-west-1",
  body: { kind: "replication-failed", region: "eu-west-1" },
  attributes: { repository: "team/app", outcome: "replication-failed", severity: "" },
};

function sent() {
  return snsMock.commandCalls(PublishCommand).map((call) => call.args[0].input);
}

describe("SnsNotificationPublisher", () => {
  it("publishes the JSON body with String attributes for filtering, leaving empty values out", async () => {
    snsMock.on(PublishCommand).resolves({ MessageId: "m1" });
    await new SnsNotificationPublisher({ client, topicArn: TOPIC }).publish(notification);
    expect(sent()).toEqual([
      {
        TopicArn: TOPIC,
        Subject: "Replication failed: team/app to eu-west-1",
        Message: JSON.stringify(notification.body),
        MessageAttributes: {
          id: { DataType: "String", StringValue: notification.id },
          repository: { DataType: "String", StringValue: "team/app" },
          outcome: { DataType: "String", StringValue: "replication-failed" },
        },
      },
    ]);
  });

  it("adds the group and de-duplication ids on a FIFO topic", async () => {
    snsMock.on(PublishCommand).resolves({ MessageId: "m1" });
    await new SnsNotificationPublisher({ client, topicArn: `${TOPIC}.fifo` }).publish(notification);
    expect(sent()[0]).toMatchObject({ MessageGroupId: "team/app", MessageDeduplicationId: notification.id });
  });

  it("hashes a de-duplication id SNS would refuse, the same way each time", () => {
    const long = "x".repeat(200);
    expect(deduplicationId(long)).toMatch(/^[0-9a-f]{64}$/);
    expect(deduplicationId(long)).toBe(deduplicationId(long));
    expect(deduplicationId("has space")).toMatch(/^[0-9a-f]{64}$/);
    expect(deduplicationId("team/app@sha256:1/ok")).toBe("team/app@sha256:1/ok");
  });

  it("refuses a message over 256 KiB", async () => {
    const big = { ...notification, body: { text: "x".repeat(257 * 1024) } };
    await expect(
      new SnsNotificationPublisher({ client, topicArn: TOPIC }).publish(big),
    ).rejects.toBeInstanceOf(NotificationTooLargeError);
    expect(sent()).toHaveLength(0);
  });
});

describe("snsSubject", () => {
  it.each([
    ["keeps a plain subject", "Rejected: team/app", "Rejected: team/app"],
    [
      "turns line breaks and control characters into single spaces",
      "Rejected:\r\n\tteam/app\u0007!",
      "Rejected: team/app !",
    ],
    ["falls back when nothing printable is left", "\n\n", "Portcullis"],
    ["cuts at 99 characters with an ellipsis", "a".repeat(150), `${"a".repeat(96)}...`],
    ["keeps exactly 99 characters", "b".repeat(99), "b".repeat(99)],
  ])("%s", (_title, input, expected) => {
    expect(snsSubject(input)).toBe(expected);
    expect(snsSubject(input).length).toBeLessThan(100);
  });
});
