import { randomUUID } from "node:crypto";
import { ECRClient } from "@aws-sdk/client-ecr";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { SNSClient } from "@aws-sdk/client-sns";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { validSample } from "../events/awsSamples.ts";
import { type CapturedOutput, captureOutput } from "../lambda/captureOutput.ts";
import { lambdaContext } from "../lambda/lambdaContext.ts";
import { ACCOUNT, type FunctionEnvironment, functionEnvironment, PRIMARY } from "./functionEnvironment.ts";

const mocks = [mockClient(EventBridgeClient), mockClient(SNSClient), mockClient(ECRClient)];
let env: FunctionEnvironment;
let out: CapturedOutput;
beforeAll(async () => {
  env = await functionEnvironment({});
});
afterAll(() => env?.restore());
afterEach(() => {
  out?.restore();
  for (const mock of mocks) mock.reset();
});

/** A scheduled rule's tick, as EventBridge delivers it. */
function tick(account = ACCOUNT) {
  return {
    version: "0",
    id: randomUUID(),
    "detail-type": "Scheduled Event",
    source: "aws.events",
    account,
    time: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    region: PRIMARY,
    resources: [`arn:aws:events:${PRIMARY}:${account}:rule/portcullis-reconcile`],
    detail: {},
  };
}

describe("functions/reconcile", () => {
  it("sweeps the table on a scheduled tick (nothing due)", async () => {
    const { handler } = await import("../../functions/reconcile.ts");
    out = captureOutput();
    expect(await handler(tick(), lambdaContext("portcullis-test-reconcile"))).toEqual({
      kind: "swept",
      candidates: [],
      failures: [],
    });
    for (const mock of mocks) expect(mock.calls()).toHaveLength(0);
  });

  it("refuses a tick from another account and AWS's sample finding from another region", async () => {
    const { handler } = await import("../../functions/reconcile.ts");
    out = captureOutput();
    expect(await handler(tick("210987654321"), lambdaContext("f"))).toMatchObject({
      kind: "refused",
      field: "account",
    });
    expect(await handler(validSample("inspector2-finding.ecr-image.json"), lambdaContext("f"))).toMatchObject(
      {
        kind: "refused",
        field: "region",
        value: "us-east-2",
      },
    );
  });
});
