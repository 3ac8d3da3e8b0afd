import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LambdaFunctionInvoker } from "../../src/aws/LambdaFunctionInvoker.ts";
import { SqsDeadLetterQueue } from "../../src/aws/SqsDeadLetterQueue.ts";
import { runReconcileNow } from "../../src/cli/commands/reconcile.ts";
import { parseRedriveArgs, runRedrive } from "../../src/cli/commands/redrive.ts";
import type { PortcullisConfig } from "../../src/config/index.ts";
import { rollbackRelease } from "../../src/handlers/rollback/rollbackRelease.ts";
import type { FunctionInvoker } from "../../src/operator/FunctionInvoker.ts";
import { readHistory } from "../../src/operator/readHistory.ts";
import { readStatus } from "../../src/operator/readStatus.ts";
import type { DeadLetterQueue } from "../../src/operator/redrive.ts";
import {
  clients,
  dynamoClient,
  PRIMARY,
  REPLICA,
  startRollbackServices,
  stopRollbackServices,
  world,
} from "../handlers/support/rollbackWorld.ts";
import { exampleConfig } from "../stacks/pipelineSynth.ts";
import { captureIo } from "../support/captureIo.ts";
import { startFakeSqs } from "../support/fakeSqs.ts";
import { lambdaStub } from "../support/lambdaStub.ts";
import type { AwsCall } from "./AwsCall.ts";
import { AwsCallRecorder } from "./AwsCallRecorder.ts";
import { deployedPolicies, expectCallsAllowed } from "./expectAllowed.ts";

/**
 * Every AWS call the operator commands make, recorded behind their ports (the same recorder as the functions'
 * checks) or at the Lambda and SQS adapters, simulated against the Pipeline stack's operator managed policy.
 */
const config: PortcullisConfig = exampleConfig({
  primaryRegion: PRIMARY,
  replicaRegions: [REPLICA],
  repositories: [
    { name: "team/app", context: "examples/app", dockerfile: "Dockerfile", platforms: ["linux/amd64"] },
  ],
});

let recorder: AwsCallRecorder;
beforeAll(async () => {
  await startRollbackServices();
  recorder = new AwsCallRecorder({
    region: PRIMARY,
    hosts: Object.fromEntries(Object.entries(clients).map(([region, client]) => [region, client.registry])),
    repository: () => "team/app",
    scanning: config.scanning,
  });
  recorder.watchDynamo(dynamoClient());
}, 60_000);
afterAll(async () => {
  recorder?.stop();
  await stopRollbackServices();
});

const actions = (calls: readonly AwsCall[]) =>
  [...new Set(calls.map((c) => `${c.action} ${c.resource}`))].sort();

describe("the operator commands' AWS calls, against the operator managed policy", () => {
  it("allows status, history and a rollback in every region", async () => {
    const w = await world();
    const ctx = recorder.ports("operator", w.ctx);
    await rollbackRelease(ctx, {
      repository: w.repository,
      to: { kind: "previous" },
      reason: "p99",
      by: "alice",
      force: false,
    });
    expect((await readStatus(ctx, { repository: w.repository }, 10)).ok).toBe(true);
    expect((await readHistory(ctx, w.repository, "latest")).ok).toBe(true);
    const calls = recorder.take();
    expect(recorder.unmapped).toEqual([]);
    await expectCallsAllowed(calls, config);
    const repo = (region: string) => `arn:aws:ecr:${region}:123456789012:repository/team/app`;
    expect(actions(calls)).toEqual(
      expect.arrayContaining([
        `ecr:PutImage ${repo(PRIMARY)}`,
        `ecr:PutImage ${repo(REPLICA)}`,
        `ecr:BatchGetImage ${repo(REPLICA)}`,
        `ecr:DescribeImageScanFindings ${repo(PRIMARY)}`,
        "ecr:GetAuthorizationToken *",
        "dynamodb:Query arn:aws:dynamodb:us-east-1:123456789012:table/portcullis-test-state",
        "dynamodb:Scan arn:aws:dynamodb:us-east-1:123456789012:table/portcullis-test-state",
        "sns:Publish arn:aws:sns:us-east-1:123456789012:portcullis-test-notifications",
        "events:PutEvents arn:aws:events:us-east-1:123456789012:event-bus/portcullis-test",
      ]),
    );
  }, 120_000);

  it("allows redrive (SQS and its key, Lambda Invoke) and reconcile --now", async () => {
    const deployed = await deployedPolicies(config);
    const calls: AwsCall[] = [];
    const site = "operator command";
    const invoker = (real: FunctionInvoker, names: Record<string, string>): FunctionInvoker => ({
      invoke: (name, payload) => {
        calls.push({
          caller: "operator",
          site,
          action: "lambda:InvokeFunction",
          resource: names[name] ?? name,
        });
        return real.invoke(name, payload);
      },
      invokeAsync: (name, payload) => {
        calls.push({
          caller: "operator",
          site,
          action: "lambda:InvokeFunction",
          resource: names[name] ?? name,
        });
        return real.invokeAsync(name, payload);
      },
    });
    const key = deployed.arnOf("Pipeline", "DeadLetterKey");
    const queueFor = (real: DeadLetterQueue, arn: string): DeadLetterQueue => ({
      receive: (visibility) => {
        calls.push({ caller: "operator", site, action: "sqs:ReceiveMessage", resource: arn });
        calls.push({
          caller: "operator",
          site,
          action: "kms:Decrypt",
          resource: key,
          context: { "kms:ViaService": `sqs.${PRIMARY}.amazonaws.com` },
        });
        return real.receive(visibility);
      },
      delete: (handle) => {
        calls.push({ caller: "operator", site, action: "sqs:DeleteMessage", resource: arn });
        return real.delete(handle);
      },
    });
    const sqs = await startFakeSqs([{ id: "m1", body: JSON.stringify({ source: "aws.ecr" }) }]);
    try {
      const lambda = lambdaStub({ StatusCode: 202 }, { StatusCode: 200 });
      const names = {
        "portcullis-gate": deployed.functionArn("gate"),
        "portcullis-reconcile": deployed.functionArn("reconcile"),
      };
      const invokes = invoker(new LambdaFunctionInvoker(lambda.client), names);
      const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" };
      const ports = {
        functions: ["Gate"],
        functionName: () => "portcullis-gate",
        deadLetterQueue: () =>
          queueFor(
            new SqsDeadLetterQueue({ queueUrl: sqs.url, region: PRIMARY, credentials }),
            deployed.deadLetterQueueArn("gate"),
          ),
        invoker: invokes,
      };
      expect(await runRedrive(ports, parseRedriveArgs([]), captureIo())).toBe(0);
      const now = { invoker: invokes, account: "123456789012", region: PRIMARY };
      expect(
        await runReconcileNow(now, "portcullis-reconcile", { async: false, json: true }, captureIo()),
      ).toBe(0);
    } finally {
      await sqs.stop();
    }
    expect(calls.map((c) => c.action)).toEqual([
      "sqs:ReceiveMessage",
      "kms:Decrypt",
      "lambda:InvokeFunction",
      "sqs:DeleteMessage",
      "sqs:ReceiveMessage",
      "kms:Decrypt",
      "lambda:InvokeFunction",
    ]);
    await expectCallsAllowed(calls, config);
  }, 120_000);
});
