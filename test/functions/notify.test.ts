import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { PublishCommand, type PublishCommandInput, SNSClient } from "@aws-sdk/client-sns";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { SnsNotificationPublisher } from "../../src/aws/SnsNotificationPublisher.ts";
import { failureNotification } from "../../src/handlers/replicate/replicateEffects.ts";
import type { PromotedCandidate } from "../../src/release/index.ts";
import { type CapturedOutput, captureOutput } from "../lambda/captureOutput.ts";
import { lambdaContext } from "../lambda/lambdaContext.ts";
import { promoted } from "../report/candidates.ts";
import { type SlackServer, startSlackServer } from "../support/slackServer.ts";
import { type FunctionEnvironment, functionEnvironment, TOPIC } from "./functionEnvironment.ts";

const smMock = mockClient(SecretsManagerClient);
const snsMock = mockClient(SNSClient);
const SECRET = "portcullis/slack-webhook";
let slack: SlackServer;
let env: FunctionEnvironment;
let out: CapturedOutput;

beforeAll(async () => {
  slack = await startSlackServer();
  env = await functionEnvironment({ PORTCULLIS_SLACK_WEBHOOK_SECRET: SECRET });
});
afterAll(async () => {
  await env?.restore();
  await slack?.stop();
});
afterEach(() => {
  out?.restore();
  smMock.reset();
  snsMock.reset();
});

/** What SNS delivers to a subscribed Lambda for a message published by SnsNotificationPublisher. */
async function deliveredByTopic(): Promise<unknown> {
  const state = promoted("failed") as PromotedCandidate;
  const replica = state.replicas["ap-south-1"];
  if (replica === undefined) throw new Error("fixture has no ap-south-1 replica");
  snsMock.on(PublishCommand).resolves({ MessageId: "m-1" });
  const client = new SNSClient({
    region: "us-east-1",
    credentials: { accessKeyId: "k", secretAccessKey: "s" },
  });
  await new SnsNotificationPublisher({ client, topicArn: TOPIC }).publish(
    failureNotification(state, "ap-south-1", replica),
  );
  const input = snsMock.commandCalls(PublishCommand)[0]?.args[0].input as PublishCommandInput;
  const attributes = Object.fromEntries(
    Object.entries(input.MessageAttributes ?? {}).map(([name, value]) => [
      name,
      { Type: "String", Value: value.StringValue },
    ]),
  );
  const sns = {
    Type: "Notification",
    MessageId: "m-1",
    TopicArn: TOPIC,
    Subject: input.Subject,
    Message: input.Message,
  };
  return {
    Records: [
      { EventSource: "aws:sns", EventVersion: "1.0", Sns: { ...sns, MessageAttributes: attributes } },
    ],
  };
}

describe("functions/notify", () => {
  it("posts the replicate handler's failure notification to Slack once, never logging the webhook URL", async () => {
    smMock.on(GetSecretValueCommand, { SecretId: SECRET }).resolves({ SecretString: slack.url });
    const event = await deliveredByTopic();
    const { handler } = await import("../../functions/notify.ts");
    out = captureOutput();
    expect(await handler(event, lambdaContext("portcullis-test-notify"))).toEqual([
      { id: expect.stringContaining("/replication-failed/ap-south-1"), kind: "sent" },
    ]);
    expect(await handler(event, lambdaContext("portcullis-test-notify", "req-2"))).toEqual([
      expect.objectContaining({ kind: "duplicate" }),
    ]);
    expect(slack.messages).toHaveLength(1);
    expect(JSON.stringify(slack.messages[0])).toContain("ap-south-1");
    expect(out.lines().join("\n")).not.toContain(slack.secret);
    expect(out.json().find((line) => line.message === "notify: sent to Slack")).toMatchObject({
      function_name: "portcullis-test-notify",
      repository: "team/app",
    });
  });
});
