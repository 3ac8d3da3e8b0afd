import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { SecretError } from "../../src/aws/errors.ts";
import { secretsManagerSecrets } from "../../src/aws/SecretsManagerSecrets.ts";

const smMock = mockClient(SecretsManagerClient);
afterEach(() => smMock.reset());

const client = new SecretsManagerClient({
  region: "us-east-1",
  credentials: { accessKeyId: "k", secretAccessKey: "s" },
});
const HOOK = "https://hooks.slack.invalid/services/T000/B000/SECRETVALUE123";

describe("secretsManagerSecrets", () => {
  it("reads a secret once and serves it from the cache within maxAge", async () => {
    smMock.on(GetSecretValueCommand).resolves({ SecretString: HOOK });
    const secrets = secretsManagerSecrets({ client });
    expect(await secrets.text("portcullis/slack-webhook")).toBe(HOOK);
    expect(await secrets.text("portcullis/slack-webhook")).toBe(HOOK);
    expect(smMock.commandCalls(GetSecretValueCommand).map((c) => c.args[0].input)).toEqual([
      { SecretId: "portcullis/slack-webhook" },
    ]);
  });

  it("asks again once maxAge has passed", async () => {
    smMock.on(GetSecretValueCommand).resolves({ SecretString: HOOK });
    const secrets = secretsManagerSecrets({ client, maxAgeSeconds: 0 });
    await secrets.text("portcullis/slack-webhook");
    await new Promise((resolve) => setTimeout(resolve, 5));
    await secrets.text("portcullis/slack-webhook");
    expect(smMock.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it("parses a JSON object secret", async () => {
    smMock
      .on(GetSecretValueCommand)
      .resolves({ SecretString: JSON.stringify({ appId: 1, privateKey: "KEY" }) });
    expect(await secretsManagerSecrets({ client }).json("portcullis/github-app")).toEqual({
      appId: 1,
      privateKey: "KEY",
    });
  });

  it.each([
    ["not JSON", "SECRETVALUE123 not json", "is not valid JSON"],
    ["a JSON array", '["SECRETVALUE123"]', "must be a JSON object"],
  ])("refuses a secret that is %s without quoting it", async (_title, value, reason) => {
    smMock.on(GetSecretValueCommand).resolves({ SecretString: value });
    const error = await secretsManagerSecrets({ client })
      .json("portcullis/github-app")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SecretError);
    expect((error as Error).message).toBe(`secret portcullis/github-app: ${reason}`);
    expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain("SECRETVALUE123");
  });

  it("names a missing secret and the AWS error", async () => {
    smMock.on(GetSecretValueCommand).rejects(
      new ResourceNotFoundException({
        message: "Secrets Manager can't find the specified secret.",
        $metadata: {},
      }),
    );
    await expect(secretsManagerSecrets({ client }).text("portcullis/nope")).rejects.toThrow(
      /^secret portcullis\/nope: could not be read \(.*ResourceNotFoundException\)$/,
    );
  });

  it("refuses a binary secret", async () => {
    smMock.on(GetSecretValueCommand).resolves({ SecretBinary: new Uint8Array([1, 2, 3]) });
    await expect(secretsManagerSecrets({ client }).text("portcullis/bin")).rejects.toThrow(
      /has no string value/,
    );
  });
});
