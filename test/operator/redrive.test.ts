import { afterEach, describe, expect, it } from "vitest";
import { LambdaFunctionInvoker } from "../../src/aws/LambdaFunctionInvoker.ts";
import { SqsDeadLetterQueue } from "../../src/aws/SqsDeadLetterQueue.ts";
import { parseRedriveArgs, runRedrive } from "../../src/cli/commands/redrive.ts";
import { readDeadLetter } from "../../src/operator/readDeadLetter.ts";
import { redrive } from "../../src/operator/redrive.ts";
import { captureIo } from "../support/captureIo.ts";
import { type HeldMessage, startFakeSqs } from "../support/fakeSqs.ts";
import { lambdaStub } from "../support/lambdaStub.ts";

const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" };
const scan = { "detail-type": "ECR Image Scan", source: "aws.ecr", detail: { "scan-status": "COMPLETE" } };
/** EventBridge's dead letter: the event, with why in attributes (EventBridge User Guide, "Using dead-letter queues"). */
const undelivered: HeldMessage = {
  id: "m-eventbridge",
  body: JSON.stringify(scan),
  attributes: {
    ERROR_CODE: "NO_PERMISSIONS",
    ERROR_MESSAGE: "EventBridge is not allowed to invoke the function",
    RULE_ARN: "arn:aws:events:us-east-1:123456789012:rule/portcullis-gate",
  },
};
/** Lambda's failure record (Lambda Developer Guide, "Capturing records of asynchronous invocations"). */
const failed: HeldMessage = {
  id: "m-lambda",
  body: JSON.stringify({
    version: "1.0",
    requestContext: { requestId: "r1", condition: "RetriesExhausted", approximateInvokeCount: 3 },
    requestPayload: scan,
    responsePayload: {
      errorType: "FindingsUnavailableError",
      errorMessage: "fetching the findings: throttled",
    },
  }),
};
/** A message SNS could not deliver (Amazon SNS Developer Guide, "Amazon SNS dead-letter queues"). */
const snsMessage = {
  Type: "Notification",
  MessageId: "sns-1",
  TopicArn: "arn:aws:sns:us-east-1:123456789012:portcullis",
  Subject: "Promoted: team/app",
  Message: JSON.stringify({ kind: "image-promoted" }),
  Timestamp: "2026-03-01T10:00:00.000Z",
  MessageAttributes: { repository: { Type: "String", Value: "team/app" } },
};
const undeliveredSns: HeldMessage = { id: "m-sns", body: JSON.stringify(snsMessage) };

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

describe("readDeadLetter", () => {
  it.each([
    [undelivered, "eventbridge", scan, "NO_PERMISSIONS: EventBridge is not allowed to invoke the function"],
    [failed, "lambda", scan, "FindingsUnavailableError: fetching the findings: throttled"],
    [
      undeliveredSns,
      "sns",
      { Records: [{ EventSource: "aws:sns", EventVersion: "1.0", Sns: snsMessage }] },
      "SNS could not deliver it to the function",
    ],
  ])("reads %#: the original event and why it failed", (message, origin, event, reason) => {
    const letter = readDeadLetter({
      messageId: message.id,
      receiptHandle: "h",
      body: message.body,
      attributes: message.attributes ?? {},
    });
    expect(letter).toEqual({
      ok: true,
      value: { messageId: message.id, receiptHandle: "h", origin, event, reason },
    });
  });

  it("refuses a body that is not JSON, naming the message", () => {
    const letter = readDeadLetter({ messageId: "m9", receiptHandle: "h", body: "<xml/>", attributes: {} });
    expect(letter).toMatchObject({ ok: false, error: [{ field: "message m9", message: "is not JSON" }] });
  });
});

describe("redrive over SQS (loopback, signed) and Lambda Invoke", () => {
  it("re-invokes each function with the original event and deletes only what Lambda accepted", async () => {
    const sqs = await startFakeSqs([undelivered, failed, undeliveredSns]);
    stop = sqs.stop;
    // The second invoke is refused: its message stays for the next run.
    const lambda = lambdaStub({ StatusCode: 202 }, new Error("Rate exceeded") as never, { StatusCode: 202 });
    const queue = new SqsDeadLetterQueue({ queueUrl: sqs.url, region: "us-east-1", credentials });
    const results = await redrive(queue, new LambdaFunctionInvoker(lambda.client), "portcullis-gate", {
      dryRun: false,
    });
    expect(results.map((r) => [r.messageId, r.origin, r.outcome])).toEqual([
      ["m-eventbridge", "eventbridge", "redriven"],
      ["m-lambda", "lambda", "kept"],
      ["m-sns", "sns", "redriven"],
    ]);
    expect(results[1]?.error).toBe("invoking portcullis-gate: Rate exceeded");
    expect(lambda.calls.map((c) => c.InvocationType)).toEqual(["Event", "Event", "Event"]);
    expect(lambda.payload(0)).toEqual(scan);
    expect(lambda.payload(1)).toEqual(scan);
    expect(lambda.payload(2)).toEqual({
      Records: [{ EventSource: "aws:sns", EventVersion: "1.0", Sns: snsMessage }],
    });
    expect(sqs.messages.map((m) => m.id)).toEqual(["m-lambda"]);
    expect(sqs.calls.filter((c) => c.target === "AmazonSQS.DeleteMessage")).toHaveLength(2);
    expect(sqs.calls[0]?.body).toMatchObject({ QueueUrl: sqs.url, MessageAttributeNames: ["All"] });
  });

  it("--dry-run shows every reason and neither invokes nor deletes", async () => {
    const sqs = await startFakeSqs([undelivered, failed]);
    stop = sqs.stop;
    const lambda = lambdaStub();
    const queue = new SqsDeadLetterQueue({ queueUrl: sqs.url, region: "us-east-1", credentials });
    const results = await redrive(queue, new LambdaFunctionInvoker(lambda.client), "portcullis-gate", {
      dryRun: true,
    });
    expect(results.map((r) => [r.outcome, r.reason])).toEqual([
      ["kept", "NO_PERMISSIONS: EventBridge is not allowed to invoke the function"],
      ["kept", "FindingsUnavailableError: fetching the findings: throttled"],
    ]);
    expect(lambda.calls).toEqual([]);
    expect(sqs.messages).toHaveLength(2);
  });

  it("names the queue and SQS's error when it refuses", async () => {
    const sqs = await startFakeSqs([]);
    stop = sqs.stop;
    const queue = new SqsDeadLetterQueue({
      queueUrl: sqs.url,
      region: "us-east-1",
      credentials: { accessKeyId: "", secretAccessKey: "" },
    });
    await expect(queue.receive(30)).rejects.toThrow(
      `SQS ReceiveMessage on ${sqs.url}: 403 InvalidSignatureException: unsigned`,
    );
  });
});

describe("portcullis redrive", () => {
  it("refuses a function that is not deployed, naming it, and redrives the one named", async () => {
    const sqs = await startFakeSqs([undelivered]);
    stop = sqs.stop;
    const lambda = lambdaStub({ StatusCode: 202 });
    const ports = {
      functions: ["Gate", "Notify"],
      functionName: (name: string) => `portcullis-${name.toLowerCase()}`,
      deadLetterQueue: () => new SqsDeadLetterQueue({ queueUrl: sqs.url, region: "us-east-1", credentials }),
      invoker: new LambdaFunctionInvoker(lambda.client),
    };
    const refused = captureIo();
    expect(await runRedrive(ports, parseRedriveArgs(["gaet"]), refused)).toBe(2);
    expect(refused.err()).toContain('FUNCTION "gaet" is not deployed (deployed: gate, notify)');
    expect(lambda.calls).toEqual([]);

    const io = captureIo();
    expect(await runRedrive(ports, parseRedriveArgs(["gate"]), io)).toBe(0);
    expect(io.out()).toBe(
      "gate: 1 dead letter(s)\n  m-eventbridge [eventbridge] redriven: NO_PERMISSIONS: EventBridge is not allowed to invoke the function\n",
    );
    expect(lambda.calls[0]?.FunctionName).toBe("portcullis-gate");
    expect(sqs.messages).toEqual([]);
  });
});
