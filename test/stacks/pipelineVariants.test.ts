import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ValidationError } from "../../src/core/ValidationError.ts";
import { rulePatterns } from "../../src/events/rulePatterns.ts";
import { InvalidPolicyError } from "../../src/policy/errors.ts";
import { grantsOf } from "./pipelineGrants.ts";
import { exampleConfig, type PipelineSynth, synthPipeline } from "./pipelineSynth.ts";
import { functionId, referenced, resourcesOf } from "./pipelineTemplate.ts";
import type { CfnProps } from "./synthPortcullis.ts";

const STATUS_TOKEN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:portcullis/status-token";

describe("enhanced scanning, commit statuses, no Slack and no replica regions", () => {
  let synth: PipelineSynth;
  beforeAll(async () => {
    synth = await synthPipeline(
      exampleConfig({
        scanning: "enhanced",
        replicaRegions: [],
        report: { kind: "commit-status", statusTokenSecret: STATUS_TOKEN },
        slack: undefined,
        functions: { reservedConcurrency: { reconcile: 1, report: 3 } },
      }),
    );
  });
  afterAll(() => synth?.remove());

  it("reserves concurrency for exactly the functions the configuration names", () => {
    const reserved = Object.fromEntries(
      resourcesOf(synth.pipeline, "AWS::Lambda::Function")
        .filter(([, props]) => String(props.Handler).startsWith("functions/"))
        .map(([, props]) => [
          String(props.Handler).replace(/^functions\/(.*)\.handler$/, "$1"),
          props.ReservedConcurrentExecutions,
        ]),
    );
    expect(reserved).toEqual({
      register: undefined,
      gate: undefined,
      reconcile: 1,
      report: 3,
      notify: undefined,
    });
  });

  const handlers = () =>
    resourcesOf(synth.pipeline, "AWS::Lambda::Function")
      .map(([, props]) => String(props.Handler))
      .filter((handler) => handler.startsWith("functions/"))
      .sort();
  const env = (name: string): Record<string, unknown> =>
    (synth.pipeline.Resources[functionId(synth.pipeline, name)]?.Properties as CfnProps | undefined)
      ?.Environment?.Variables ?? {};

  it("deploys no replicate function when there is no region to copy to", () => {
    expect(handlers()).toEqual(
      ["gate", "notify", "reconcile", "register", "report"].map((name) => `functions/${name}.handler`),
    );
    expect(env("gate")).toMatchObject({ PORTCULLIS_REPLICA_REGIONS: "", PORTCULLIS_SCANNING: "enhanced" });
    const [[, dashboard]] = resourcesOf(synth.pipeline, "AWS::CloudWatch::Dashboard") as [[string, CfnProps]];
    expect(JSON.stringify(dashboard.DashboardBody)).not.toContain("Replication");
  });

  it("sends Inspector findings to reconcile, with the rulePatterns() pattern", () => {
    const reconcile = functionId(synth.pipeline, "reconcile");
    const rules = resourcesOf(synth.pipeline, "AWS::Events::Rule").filter(
      ([, props]) => referenced(props.Targets[0].Arn) === reconcile && props.EventPattern !== undefined,
    );
    expect(rules.map(([, props]) => props.EventPattern)).toEqual([
      rulePatterns({ repositories: ["portcullis/example-app"] }).findingChanged,
    ]);
  });

  it("lets the functions that read findings read Inspector's too, the only other actions on *", () => {
    for (const name of ["register", "gate", "reconcile", "report", "notify"]) {
      const onAny = grantsOf(synth.pipeline, functionId(synth.pipeline, name))
        .filter((grant) => grant.resource === "*")
        .map((grant) => grant.actions);
      const inspector = ["inspector2:ListFindings", "inspector2:ListCoverage"];
      const login = ["ecr:GetAuthorizationToken"];
      const xray = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"];
      expect(onAny, name).toEqual(["report", "notify"].includes(name) ? [xray] : [xray, login, inspector]);
    }
  });

  it("reads the status token by its ARN, and no Slack secret at all", () => {
    const secrets = (name: string) =>
      grantsOf(synth.pipeline, functionId(synth.pipeline, name)).filter((grant) =>
        grant.actions.includes("secretsmanager:GetSecretValue"),
      );
    expect(secrets("report").map((grant) => grant.resource)).toEqual([
      STATUS_TOKEN,
      `${STATUS_TOKEN}-??????`,
    ]);
    expect(env("report").PORTCULLIS_STATUS_TOKEN_SECRET).toBe(STATUS_TOKEN);
    expect(env("report")).not.toHaveProperty("PORTCULLIS_GITHUB_APP_SECRET");
    expect(secrets("notify")).toEqual([]);
    expect(env("notify")).not.toHaveProperty("PORTCULLIS_SLACK_WEBHOOK_SECRET");
  });

  it("still passes cdk-nag's AwsSolutions checks", () => {
    const findings = synth.messages.filter(
      (m) => (m.level === "error" || m.level === "warning") && m.text.includes("AwsSolutions"),
    );
    expect(findings.map((f) => `${f.stack}: ${f.text.slice(0, 160)}`)).toEqual([]);
  });
});

describe("the gate policy at synth", () => {
  it("stops synth when the policy file is missing, naming the field and where it looked", async () => {
    const error = await synthPipeline(exampleConfig({ policyFile: "no/such/policy.yaml" })).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toMatch(
      /policyFile: "no\/such\/policy\.yaml" cannot be read at \/.*no\/such\/policy\.yaml \(ENOENT\)/,
    );
  });

  it("stops synth on an invalid policy, listing every issue", async () => {
    const error = await synthPipeline(
      exampleConfig({ policyFile: "test/fixtures/policies/invalid.yaml" }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidPolicyError);
    expect((error as Error).message).toContain("HIHG");
    expect((error as InvalidPolicyError).issues.length).toBeGreaterThan(1);
  });
});
