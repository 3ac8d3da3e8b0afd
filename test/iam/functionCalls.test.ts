import { generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keySigner } from "../../src/attest/keySigner.ts";
import type { PortcullisConfig } from "../../src/config/index.ts";
import {
  createGateHandler,
  createReconcileHandler,
  createRegisterHandler,
  type HandlerDeps,
} from "../../src/handlers/index.ts";
import { ecrScanEvent, findingEvent, pushEvent, REGION, scheduledEvent } from "../handlers/support/events.ts";
import {
  type Harness,
  harness,
  REPOSITORIES,
  type Services,
  startServices,
} from "../handlers/support/harness.ts";
import { commit, type PushedBuild, pushBuild } from "../handlers/support/images.ts";
import { exampleConfig } from "../stacks/pipelineSynth.ts";
import type { AwsCall } from "./AwsCall.ts";
import { AwsCallRecorder } from "./AwsCallRecorder.ts";
import { deployedPolicies, expectCallsAllowed, roleOf } from "./expectAllowed.ts";
import { refusedCalls } from "./simulateCalls.ts";

/**
 * Each function that can decide a candidate (register, gate, reconcile) does so here, through the handler tests'
 * ports with every AWS call behind them recorded, and each call is checked against the function's role in the
 * synthesized Pipeline stack: the deployment of the handler tests' repositories.
 */
const config: PortcullisConfig = exampleConfig({
  replicaRegions: ["eu-west-1"],
  repositories: REPOSITORIES.map((name) => ({
    name,
    context: "examples/app",
    dockerfile: "Dockerfile",
    platforms: ["linux/amd64", "linux/arm64"],
  })),
});

let services: Services;
let recorder: AwsCallRecorder;
let attestationKey: string;
/** Stands in for the KMS key: the recorder names its sign() as kms:Sign on the deployed attestation key. */
const signer = keySigner(
  generateKeyPairSync("ec", { namedCurve: "P-256" })
    .privateKey.export({ type: "pkcs8", format: "pem" })
    .toString(),
);
beforeAll(async () => {
  services = await startServices();
  attestationKey = (await deployedPolicies(config)).arnOf("State", "AttestationKey");
  recorder = new AwsCallRecorder({
    region: REGION,
    hosts: { [REGION]: services.registry.host },
    repository: (name) => name,
    scanning: config.scanning,
    attestationKey,
  });
  recorder.watchDynamo(services.dynamo.client);
});
afterAll(async () => {
  recorder?.stop();
  await services?.stop();
});

/** The function's deps with its AWS calls recorded; the deciding functions sign, as deployed. */
const as = (fn: string, h: Harness): HandlerDeps =>
  recorder.ports(fn, ["register", "gate", "reconcile"].includes(fn) ? { ...h.deps, signer } : h.deps);

let commits = 900;
async function registeredBuild(h: Harness, repository = "team/app"): Promise<PushedBuild> {
  const id = commit(commits++);
  const build = await pushBuild(services.client, repository, id, { revision: id, ref: "refs/heads/main" });
  await createRegisterHandler(as("register", h))(
    pushEvent(repository, build.digest, build.tag, { time: h.clock.now() }),
  );
  return build;
}

/** The calls recorded since the last check, checked; returns them for the test's own assertions. */
async function checked(): Promise<AwsCall[]> {
  const calls = recorder.take();
  expect(recorder.unmapped).toEqual([]);
  await expectCallsAllowed(calls, config);
  return calls;
}

const actionsOf = (calls: readonly AwsCall[], fn: string) =>
  [...new Set(calls.filter((call) => call.caller === fn).map((call) => call.action))].sort();

describe("the AWS calls of the functions that decide, against their deployed roles", () => {
  it("allows gate what it calls when it decides and promotes", async () => {
    const h = await harness(services);
    const build = await registeredBuild(h);
    const gate = createGateHandler(as("gate", h));
    for (const child of build.children) {
      h.findings.set("team/app", child, "clean");
      await gate(ecrScanEvent("team/app", child, "COMPLETE", { time: h.clock.advance(1) }));
    }
    expect((await h.candidate(build.digest))?.phase).toBe("promoted");

    const calls = await checked();
    expect(actionsOf(calls, "gate")).toEqual(
      expect.arrayContaining([
        "ecr:BatchGetImage",
        "ecr:DescribeImageScanFindings",
        "ecr:GetAuthorizationToken",
        "ecr:ListImages",
        "ecr:PutImage",
        "ecr:InitiateLayerUpload",
        "ecr:CompleteLayerUpload",
        "events:PutEvents",
        "kms:Sign",
        "sns:Publish",
      ]),
    );
  });

  it("grants kms:Sign on the attestation key to the deciding functions (register, gate, reconcile) and to no other", async () => {
    const deployed = await deployedPolicies(config);
    const callers = ["register", "gate", "reconcile", "replicate", "report", "notify"];
    const calls = callers.map((caller) => ({
      caller,
      action: "kms:Sign",
      resource: attestationKey,
      site: "test",
    }));
    const refused = await refusedCalls(
      calls,
      (caller) => roleOf(deployed, caller),
      deployed.resourcePolicies(),
    );
    expect(refused.map((r) => r.call.caller).sort()).toEqual(["notify", "replicate", "report"]);
  });

  it("allows reconcile what it calls when it recovers a lost scan, decides and promotes", async () => {
    const h = await harness(services);
    const build = await registeredBuild(h);
    for (const child of build.children) h.findings.set("team/app", child, "clean");
    const [amd64 = "sha256:"] = build.children;
    await createGateHandler(as("gate", h))(
      ecrScanEvent("team/app", amd64, "COMPLETE", { time: h.clock.advance(1) }),
    );
    const reconcile = createReconcileHandler(as("reconcile", h));
    for (const minutes of [5, 5]) await reconcile(scheduledEvent({ time: h.clock.advance(minutes) }));
    expect((await h.candidate(build.digest))?.phase).toBe("promoted");

    const calls = await checked();
    expect(actionsOf(calls, "reconcile")).toEqual(
      expect.arrayContaining(["ecr:DescribeImageScanFindings", "ecr:ListImages", "ecr:PutImage"]),
    );
  });

  it("allows reconcile what it calls when it demotes a promoted image", async () => {
    const h = await harness(services);
    const gate = createGateHandler(as("gate", h));
    const builds: PushedBuild[] = [];
    for (const _ of [1, 2]) {
      const build = await registeredBuild(h, "team/demote");
      for (const child of build.children) {
        h.findings.set("team/demote", child, "clean");
        await gate(ecrScanEvent("team/demote", child, "COMPLETE", { time: h.clock.advance(1) }));
      }
      builds.push(build);
    }
    const [amd64 = "sha256:"] = builds[1]?.children ?? [];
    h.findings.set("team/demote", amd64, "vulnerable");
    const result = await createReconcileHandler(as("reconcile", h))(
      findingEvent("team/demote", amd64, { time: h.clock.advance(60) }),
    );
    expect(result).toMatchObject({ kind: "re-evaluated", candidates: [{ outcome: "demoted" }] });

    const calls = await checked();
    expect(actionsOf(calls, "reconcile")).toEqual(
      expect.arrayContaining(["ecr:BatchGetImage", "ecr:PutImage"]),
    );
  });
});
