import { ECRClient } from "@aws-sdk/client-ecr";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { SNSClient } from "@aws-sdk/client-sns";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createReleaseStore } from "../../src/store/index.ts";
import { validSample } from "../events/awsSamples.ts";
import { type CapturedOutput, captureOutput } from "../lambda/captureOutput.ts";
import { lambdaContext } from "../lambda/lambdaContext.ts";
import { type FunctionEnvironment, functionEnvironment, TABLE } from "./functionEnvironment.ts";

const mocks = [mockClient(EventBridgeClient), mockClient(SNSClient), mockClient(ECRClient)];
let env: FunctionEnvironment;
let out: CapturedOutput;
// AWS's sample basic scan is in us-east-1, of `my-repository-name`.
beforeAll(async () => {
  env = await functionEnvironment({ PORTCULLIS_REPOSITORIES: "my-repository-name" });
});
afterAll(() => env?.restore());
afterEach(() => {
  out?.restore();
  for (const mock of mocks) mock.reset();
});

describe("functions/gate", () => {
  it("keeps AWS's sample scan in the table for a candidate not registered yet", async () => {
    const { handler } = await import("../../functions/gate.ts");
    out = captureOutput();
    const event = validSample("ecr-image-scan.basic.json");
    const result = await handler(event, lambdaContext("portcullis-test-gate"));
    expect(result).toMatchObject({ kind: "scan-applied", candidates: [] });
    const detail = event.detail as Record<string, string>;
    const image = {
      region: "us-east-1",
      repository: "my-repository-name",
      digest: detail["image-digest"] as `sha256:${string}`,
    };
    const stored = await createReleaseStore({ client: env.dynalite.client, tableName: TABLE }).getImageScan(
      image,
    );
    expect(stored?.scan).toMatchObject({ status: "COMPLETE", scanner: "basic", eventId: event.id });
    for (const mock of mocks) expect(mock.calls()).toHaveLength(0);
  });

  it("refuses AWS's sample Inspector scan, from a region it does not gate", async () => {
    const { handler } = await import("../../functions/gate.ts");
    out = captureOutput();
    expect(
      await handler(validSample("inspector2-scan.ecr-userguide.json"), lambdaContext("f")),
    ).toMatchObject({
      kind: "refused",
      field: "region",
      value: "us-east-2",
    });
  });

  it("fails at init on an invalid policy file, naming the file, line and field", async () => {
    vi.resetModules();
    const saved = process.env.PORTCULLIS_POLICY_FILE;
    process.env.PORTCULLIS_POLICY_FILE = "test/fixtures/policies/invalid.yaml";
    try {
      const error = await import("../../functions/gate.ts").catch((e: unknown) => e);
      expect((error as Error).message).toMatch(
        /^invalid policy test\/fixtures\/policies\/invalid.yaml:\n.*:\d+:\d+: /,
      );
      process.env.PORTCULLIS_POLICY_FILE = "missing.yaml";
      vi.resetModules();
      const missing = await import("../../functions/gate.ts").catch((e: unknown) => e);
      expect((missing as Error).message).toContain(
        'PORTCULLIS_POLICY_FILE: "missing.yaml" cannot be read at',
      );
    } finally {
      process.env.PORTCULLIS_POLICY_FILE = saved;
      vi.resetModules();
    }
  });
});
