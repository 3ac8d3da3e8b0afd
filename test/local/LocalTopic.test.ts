import { describe, expect, it } from "vitest";
import { LocalTopic, type TopicDelivery } from "../../src/local/bus/LocalTopic.ts";

const notification = {
  id: "us-east-1/team/app@sha256:abc#release-rejected",
  subject: "Rejected:\nteam/app",
  body: { kind: "release-rejected", reasons: ["x"] },
  attributes: { repository: "team/app", outcome: "failed", severity: "" },
};

describe("LocalTopic", () => {
  it("hands the subscriber the Lambda event SNS sends: subject cleaned, JSON message, String attributes", async () => {
    const topic = new LocalTopic({ topicArn: "arn:aws:sns:us-east-1:000000000000:portcullis" });
    const received: unknown[] = [];
    topic.subscribe(async (event) => received.push(event));
    await topic.publish(notification);
    await topic.idle();
    expect(received).toHaveLength(1);
    const record = (received[0] as { Records: { EventSource: string; Sns: Record<string, unknown> }[] })
      .Records[0];
    expect(record?.EventSource).toBe("aws:sns");
    expect(record?.Sns).toMatchObject({
      Type: "Notification",
      TopicArn: "arn:aws:sns:us-east-1:000000000000:portcullis",
      Subject: "Rejected: team/app",
      Message: JSON.stringify(notification.body),
      MessageAttributes: {
        id: { Type: "String", Value: notification.id },
        repository: { Type: "String", Value: "team/app" },
        outcome: { Type: "String", Value: "failed" },
      },
    });
    expect(record?.Sns.MessageAttributes).not.toHaveProperty("severity");
  });

  it("retries a subscriber that throws, then reports the delivery as failed", async () => {
    const deliveries: TopicDelivery[] = [];
    const topic = new LocalTopic({
      topicArn: "arn:aws:sns:us-east-1:000000000000:portcullis",
      maxAttempts: 3,
      retryDelayMs: 1,
      onDelivery: (d) => deliveries.push(d),
    });
    let calls = 0;
    topic.subscribe(async () => {
      calls++;
      throw new Error("slack down");
    });
    await topic.publish(notification);
    await topic.idle();
    expect(calls).toBe(3);
    expect(topic.failed).toHaveLength(1);
    expect(deliveries.map((d) => [d.ok, d.attempts, (d.error as Error).message])).toEqual([
      [false, 3, "slack down"],
    ]);
  });

  it("once closed, lets the delivery in flight finish but delivers nothing new and retries nothing", async () => {
    const topic = new LocalTopic({
      topicArn: "arn:aws:sns:us-east-1:000000000000:portcullis",
      maxAttempts: 3,
      retryDelayMs: 1,
    });
    let release = () => {};
    let calls = 0;
    topic.subscribe(async () => {
      calls++;
      await new Promise<void>((resolve) => (release = resolve));
      throw new Error("would be retried");
    });
    await topic.publish(notification);
    topic.close();
    await topic.publish({ ...notification, id: "second" });
    release();
    await topic.idle();
    expect(calls).toBe(1);
    expect(topic.published.map((n) => n.id)).toEqual([notification.id, "second"]);
  });
});
