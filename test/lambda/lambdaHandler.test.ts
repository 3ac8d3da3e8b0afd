import "./onDemand.ts";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { secretsManagerSecrets } from "../../src/aws/SecretsManagerSecrets.ts";
import { ValidationError } from "../../src/core/index.ts";
import { portcullisEvent } from "../../src/events/index.ts";
import { lambdaHandler } from "../../src/lambda/lambdaHandler.ts";
import { logger, metrics } from "../../src/lambda/powertools.ts";
import { powertoolsLog, powertoolsMetrics } from "../../src/lambda/powertoolsPorts.ts";
import { type CapturedOutput, captureOutput } from "./captureOutput.ts";
import { lambdaContext } from "./lambdaContext.ts";

const COMMIT = "0123456789abcdef0123456789abcdef01234567";
const log = powertoolsLog(logger);
const sink = powertoolsMetrics(metrics);

function promoted(repository: string, commit?: string) {
  return portcullisEvent("Image Promoted", {
    candidate: { region: "us-east-1", repository, digest: `sha256:${"d".repeat(64)}` },
    ...(commit && { git: { commit } }),
    tags: ["main"],
  });
}

let out: CapturedOutput;
beforeEach(() => {
  out = captureOutput();
});
afterEach(() => out.restore());

function logs(message: string) {
  return out.json().filter((line) => line.message === message);
}

describe("lambdaHandler", () => {
  it("logs with the service, the Lambda context and the event's correlation keys, and emits EMF in Portcullis", async () => {
    const handler = lambdaHandler(async (event: unknown) => {
      log.info("working", { step: 1 });
      sink.count("Things", 2);
      return (event as { id: string }).id;
    });
    const event = promoted("team/app", COMMIT);
    expect(await handler(event, lambdaContext("portcullis-replicate"))).toBe(event.id);
    expect(logs("working")).toEqual([
      expect.objectContaining({
        level: "INFO",
        service: "portcullis",
        function_name: "portcullis-replicate",
        function_request_id: "req-1",
        cold_start: true,
        repository: "team/app",
        digest: `sha256:${"d".repeat(64)}`,
        commit: COMMIT,
        eventId: event.id,
        detailType: "Image Promoted",
        step: 1,
      }),
    ]);
    const emf = out.json().filter((line) => line._aws !== undefined);
    const namespaces = emf.flatMap(
      (line) =>
        (line._aws as { CloudWatchMetrics: { Namespace: string; Metrics: { Name: string }[] }[] })
          .CloudWatchMetrics,
    );
    expect(namespaces.every((m) => m.Namespace === "Portcullis")).toBe(true);
    expect(namespaces.flatMap((m) => m.Metrics.map((x) => x.Name))).toEqual(
      expect.arrayContaining(["ColdStart", "Things"]),
    );
    expect(emf.find((line) => "Things" in line)).toMatchObject({ Things: 2, service: "portcullis" });
  });

  it("does not carry one event's keys into the next invocation", async () => {
    const handler = lambdaHandler(async () => log.info("working"));
    await handler(promoted("team/app", COMMIT), lambdaContext("f", "req-1"));
    await handler(promoted("team/other"), lambdaContext("f", "req-2"));
    const [first, second] = logs("working");
    expect(first).toMatchObject({ repository: "team/app", commit: COMMIT });
    expect(second).toMatchObject({ repository: "team/other", function_request_id: "req-2" });
    expect(second).not.toHaveProperty("commit");
  });

  it("logs a refused event once with every issue, not retryable, counts it, and rethrows it for the DLQ", async () => {
    const refusal = new ValidationError("event", [
      { field: "detail.image-digest", value: "sha256:abc", message: "must be …" },
    ]);
    const handler = lambdaHandler(async () => {
      throw refusal;
    });
    await expect(handler(promoted("team/app"), lambdaContext("f"))).rejects.toBe(refusal);
    expect(logs("event refused")).toEqual([
      expect.objectContaining({
        level: "ERROR",
        retryable: false,
        repository: "team/app",
        issues: [{ field: "detail.image-digest", value: "sha256:abc", message: "must be …" }],
      }),
    ]);
    expect(out.json().some((line) => line.InvalidEvents === 1)).toBe(true);
  });

  it("logs any other failure once as retryable, with the error, and rethrows it", async () => {
    const handler = lambdaHandler(async () => {
      throw new Error("registry unavailable");
    });
    await expect(handler(promoted("team/app"), lambdaContext("f"))).rejects.toThrow("registry unavailable");
    const [line] = logs("invocation failed");
    expect(line).toMatchObject({
      level: "ERROR",
      retryable: true,
      error: { name: "Error", message: "registry unavailable" },
    });
    expect(logs("invocation failed")).toHaveLength(1);
    expect(out.json().some((l) => l.HandlerErrors === 1)).toBe(true);
  });
});

describe("secrets in logs", () => {
  const smMock = mockClient(SecretsManagerClient);
  afterEach(() => smMock.reset());
  const HOOK = "https://hooks.slack.invalid/services/T0/B0/TOPSECRET-9f8e7d";
  const KEY = "-----BEGIN RSA PRIVATE KEY-----\nMIIEsecretkeymaterial\n-----END RSA PRIVATE KEY-----";

  it("never writes a secret value, whether the handler succeeds, fails after reading it, or the secret is malformed", async () => {
    const client = new SecretsManagerClient({
      region: "us-east-1",
      credentials: { accessKeyId: "k", secretAccessKey: "s" },
    });
    smMock
      .on(GetSecretValueCommand, { SecretId: "portcullis/slack-webhook" })
      .resolves({ SecretString: HOOK })
      .on(GetSecretValueCommand, { SecretId: "portcullis/github-app" })
      .resolves({ SecretString: JSON.stringify({ appId: 1, installationId: 2, privateKey: KEY }) })
      .on(GetSecretValueCommand, { SecretId: "portcullis/broken" })
      .resolves({ SecretString: `{"privateKey": "${KEY.replace(/\n/g, "")}"` });
    const secrets = secretsManagerSecrets({ client });
    const handler = lambdaHandler(async (event: { fail?: string }) => {
      const hook = await secrets.text("portcullis/slack-webhook");
      const app = await secrets.json("portcullis/github-app");
      log.info("secrets read", { webhookConfigured: hook.length > 0, appId: app.appId });
      if (event.fail === "after-read") throw new Error(`posting to Slack failed with status 500`);
      if (event.fail === "malformed") await secrets.json("portcullis/broken");
      return "ok";
    });
    await handler({}, lambdaContext("notify", "r1"));
    await expect(handler({ fail: "after-read" }, lambdaContext("notify", "r2"))).rejects.toThrow();
    await expect(handler({ fail: "malformed" }, lambdaContext("notify", "r3"))).rejects.toThrow(
      /is not valid JSON/,
    );
    const text = out.lines().join("\n");
    expect(logs("secrets read")).toHaveLength(3);
    expect(logs("invocation failed")).toHaveLength(2);
    for (const secret of [HOOK, "TOPSECRET", "MIIEsecretkeymaterial", "BEGIN RSA PRIVATE KEY"])
      expect(text).not.toContain(secret);
  });
});
