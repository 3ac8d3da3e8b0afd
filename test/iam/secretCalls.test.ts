import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PortcullisConfig } from "../../src/config/index.ts";
import { portcullisEvent } from "../../src/events/index.ts";
import { createNotifyHandler } from "../../src/handlers/notify/createNotifyHandler.ts";
import { createReportHandler } from "../../src/handlers/report/createReportHandler.ts";
import { rejection, snsEvent, TOPIC } from "../notify/notifications.ts";
import { COMMIT, rejected } from "../report/candidates.ts";
import { freshStore, realClock, recordingLog, recordingMetrics } from "../report/recordingPorts.ts";
import { exampleConfig } from "../stacks/pipelineSynth.ts";
import { type DynaliteHandle, startDynalite } from "../support/startDynalite.ts";
import type { AwsCall } from "./AwsCall.ts";
import { AwsCallRecorder } from "./AwsCallRecorder.ts";
import { ACCOUNT } from "./deployment.ts";
import { expectCallsAllowed } from "./expectAllowed.ts";

/**
 * The report and notify functions read their secrets on every invocation; with a customer-managed key on the
 * secrets, Secrets Manager decrypts with the caller's permissions, so the role needs kms:Decrypt through it.
 */
const KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const withKey: PortcullisConfig = exampleConfig({
  repositories: [
    { name: "team/app", context: "examples/app", dockerfile: "Dockerfile", platforms: ["linux/amd64"] },
  ],
  secretsKmsKey: KEY,
});
const settings = { account: ACCOUNT, regions: ["us-east-1"], repositories: ["team/app"] };

let dynalite: DynaliteHandle;
beforeAll(async () => {
  dynalite = await startDynalite();
});
afterAll(() => dynalite?.stop());

/** Runs report on a decision and notify on a notification, their ports recorded; returns the calls. */
async function reportAndNotify(config: PortcullisConfig): Promise<AwsCall[]> {
  const recorder = new AwsCallRecorder({
    region: config.primaryRegion,
    hosts: {},
    repository: (name) => name,
    scanning: config.scanning,
    secrets: {
      report: config.report?.kind === "check-run" ? config.report.githubAppSecret : undefined,
      notify: config.slack?.webhookSecret,
      ...(config.secretsKmsKey !== undefined && { kmsKey: config.secretsKmsKey }),
    },
  });
  try {
    recorder.watchDynamo(dynalite.client);
    const store = await freshStore(dynalite);
    const ports = { store, clock: realClock, log: recordingLog(), metrics: recordingMetrics() };
    const candidate = rejected(2);
    await store.createCandidate(candidate);
    const report = createReportHandler(
      recorder.ports("report", { ...ports, github: async () => undefined, settings }),
    );
    const decided = portcullisEvent(
      "Release Decided",
      { candidate: candidate.key, git: { commit: COMMIT }, outcome: "failed", reasons: [] },
      { account: ACCOUNT },
    );
    expect(await report(decided)).toMatchObject({ kind: "rendered" });
    const notify = createNotifyHandler(
      recorder.ports("notify", {
        ...ports,
        slack: async () => undefined,
        settings: { topicArn: TOPIC, repositories: ["team/app"] },
      }),
    );
    await notify(snsEvent(rejection()));
    return recorder.take();
  } finally {
    recorder.stop();
  }
}

describe("the secrets of report and notify under a customer-managed KMS key", () => {
  it("lets both functions decrypt them through Secrets Manager, and nothing else", async () => {
    const calls = await reportAndNotify(withKey);
    const decrypts = calls.filter((call) => call.action === "kms:Decrypt");
    expect(new Set(decrypts.map((call) => call.caller))).toEqual(new Set(["report", "notify"]));
    await expectCallsAllowed(calls, withKey);
    // The grant holds only through Secrets Manager.
    const direct = decrypts.map((call) => ({ ...call, context: {} }));
    await expect(expectCallsAllowed(direct, withKey)).rejects.toThrow(
      /report may not kms:Decrypt on arn:aws:kms:.*ImplicitlyDenied/,
    );
  });

  it("grants no key when the secrets use the AWS managed key", async () => {
    const config = exampleConfig({
      repositories: withKey.repositories.map((r) => ({ ...r, platforms: [...r.platforms] })),
    });
    const calls = await reportAndNotify(config);
    expect(calls.filter((call) => call.action.startsWith("kms:"))).toEqual([]);
    await expectCallsAllowed(calls, config);
    const withoutGrant = calls
      .filter((call) => call.action === "secretsmanager:GetSecretValue")
      .map((call) => ({
        ...call,
        action: "kms:Decrypt",
        resource: KEY,
        context: { "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com" },
      }));
    await expect(expectCallsAllowed(withoutGrant, config)).rejects.toThrow(/2 AWS call/);
  });
});
