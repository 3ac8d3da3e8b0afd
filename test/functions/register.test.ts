import { ECRClient } from "@aws-sdk/client-ecr";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { SNSClient } from "@aws-sdk/client-sns";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ValidationError } from "../../src/core/index.ts";
import { validSample } from "../events/awsSamples.ts";
import { type CapturedOutput, captureOutput } from "../lambda/captureOutput.ts";
import { lambdaContext } from "../lambda/lambdaContext.ts";
import { type FunctionEnvironment, functionEnvironment } from "./functionEnvironment.ts";

const mocks = [mockClient(EventBridgeClient), mockClient(SNSClient), mockClient(ECRClient)];
let env: FunctionEnvironment;
let out: CapturedOutput;
// AWS's sample push is in us-west-2, of `my-repository-name:latest`.
beforeAll(async () => {
  env = await functionEnvironment({
    PORTCULLIS_PRIMARY_REGION: "us-west-2",
    PORTCULLIS_REPOSITORIES: "my-repository-name",
  });
});
afterAll(() => env?.restore());
afterEach(() => {
  out?.restore();
  for (const mock of mocks) mock.reset();
});

describe("functions/register", () => {
  it("ignores AWS's sample push of a tag that is not a build tag, touching no AWS API", async () => {
    const { handler } = await import("../../functions/register.ts");
    out = captureOutput();
    const result = await handler(
      validSample("ecr-image-action.push.json"),
      lambdaContext("portcullis-test-register"),
    );
    expect(result).toMatchObject({ kind: "ignored", reason: expect.stringContaining("not a build tag") });
    for (const mock of mocks) expect(mock.calls()).toHaveLength(0);
    expect(
      out
        .json()
        .some(
          (line) =>
            line.function_name === "portcullis-test-register" && line.repository === "my-repository-name",
        ),
    ).toBe(true);
  });

  it("refuses a push from a region it does not gate", async () => {
    const { handler } = await import("../../functions/register.ts");
    out = captureOutput();
    const event = { ...validSample("ecr-image-action.push.json"), region: "eu-west-1" };
    expect(await handler(event, lambdaContext("f"))).toMatchObject({
      kind: "refused",
      field: "region",
      value: "eu-west-1",
    });
  });

  it("fails an event that does not validate, logging each issue", async () => {
    const { handler } = await import("../../functions/register.ts");
    out = captureOutput();
    const sample = validSample("ecr-image-action.push.json");
    const event = { ...sample, detail: { ...(sample.detail as object), "image-digest": "sha256:1234" } };
    await expect(handler(event, lambdaContext("f"))).rejects.toBeInstanceOf(ValidationError);
    const refused = out.json().find((line) => line.message === "event refused");
    expect(refused?.issues).toEqual([
      expect.objectContaining({ field: "detail.image-digest", value: "sha256:1234" }),
    ]);
  });
});
