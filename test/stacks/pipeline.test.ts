import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { matchesPattern } from "../../src/events/matchesPattern.ts";
import { rulePatterns } from "../../src/events/rulePatterns.ts";
import { METRICS_NAMESPACE, serviceName } from "../../src/lambda/powertools.ts";
import { DECISION_OUTCOMES } from "../../stacks/pipelineDashboard.ts";
import { pipelineDefaults } from "../../stacks/pipelineDefaults.ts";
import { rawSample } from "../events/awsSamples.ts";
import { emittedMetricNames } from "./pipelineMetrics.ts";
import { exampleConfig, type PipelineSynth, synthPipeline } from "./pipelineSynth.ts";
import { deadLettersOf, functionId, referenced, resourcesOf, text } from "./pipelineTemplate.ts";
import type { CfnProps } from "./synthPortcullis.ts";

const FUNCTIONS = ["register", "gate", "reconcile", "replicate", "report", "notify"] as const;
const REPOSITORY = "portcullis/example-app";
const PROJECT = "portcullis-test-portcullis-example-app";
const DIGEST = `sha256:${"ab".repeat(32)}`;

/** An AWS sample event (test/fixtures/aws-events) with fields replaced. */
function sample(file: string, detail: Record<string, unknown>): Record<string, unknown> {
  const event = rawSample(file) as { detail: Record<string, unknown> };
  return { ...event, detail: { ...event.detail, ...detail } };
}

let synth: PipelineSynth;
beforeAll(async () => {
  synth = await synthPipeline(exampleConfig());
});
afterAll(() => synth?.remove());

/** The function name (functions/<name>.ts) a rule or subscription target points at. */
function targetName(arn: unknown): string {
  const handler = synth.pipeline.Resources[referenced(arn) ?? ""]?.Properties?.Handler;
  return String(handler).replace(/^functions\/(.*)\.handler$/, "$1");
}

const rules = () => resourcesOf(synth.pipeline, "AWS::Events::Rule");

describe("the Pipeline's rules", () => {
  it("deploys each rule with exactly a rulePatterns() pattern, the same JSON the local bus matches", () => {
    const patterns = rulePatterns({ repositories: [REPOSITORY], buildProjects: [PROJECT] });
    const deployed = rules()
      .filter(([, props]) => props.EventPattern !== undefined)
      .map(([, props]) => ({
        pattern: props.EventPattern,
        bus: props.EventBusName === undefined ? "default" : text(props.EventBusName),
        target: targetName(props.Targets[0].Arn),
      }));
    // AWS events on the default bus, Portcullis events on its own; with basic scanning no Inspector finding
    // would ever arrive, so there is no findingChanged rule.
    const portcullisBus = expect.stringMatching(/^\$\{import:test-portcullis-State:.*Events/);
    const expected = [
      { pattern: patterns.register, bus: "default", target: "register" },
      { pattern: patterns.gate, bus: "default", target: "gate" },
      { pattern: patterns.build, bus: "default", target: "report" },
      { pattern: patterns.promoted, bus: portcullisBus, target: "replicate" },
      { pattern: patterns.portcullis, bus: portcullisBus, target: "report" },
    ];
    expect(deployed).toHaveLength(expected.length);
    expect(deployed).toEqual(expect.arrayContaining(expected));
    // src/local/pipeline/wirePipeline builds them the same way (it does not scope builds by project).
    const local = rulePatterns({ repositories: [REPOSITORY] });
    for (const name of ["register", "gate", "promoted", "portcullis", "findingChanged"] as const)
      expect(patterns[name], name).toEqual(local[name]);
  });

  it("matches AWS's sample events for the configured repository and build tags only", () => {
    const deployed = (pattern: string) =>
      rules().find(([id]) => id.startsWith(`Rule${pattern}`))?.[1].EventPattern;
    const push = (repository: string, tag: string) =>
      sample("ecr-image-action.push.json", {
        "repository-name": repository,
        "image-tag": tag,
        "image-digest": DIGEST,
      });
    expect(matchesPattern(deployed("register"), push(REPOSITORY, `sha-${"0".repeat(40)}`))).toBe(true);
    expect(matchesPattern(deployed("register"), push(REPOSITORY, "latest"))).toBe(false);
    expect(matchesPattern(deployed("register"), push("other/app", `sha-${"0".repeat(40)}`))).toBe(false);
    const arn = `arn:aws:ecr:us-east-1:123456789012:repository/${REPOSITORY}`;
    expect(
      matchesPattern(
        deployed("gate"),
        sample("inspector2-scan.ecr-userguide.json", { "repository-name": arn }),
      ),
    ).toBe(true);
    expect(
      matchesPattern(
        deployed("gate"),
        sample("ecr-image-scan.basic.json", { "repository-name": REPOSITORY }),
      ),
    ).toBe(true);
    expect(
      matchesPattern(
        deployed("gate"),
        sample("ecr-image-scan.basic.json", { "repository-name": "other/app" }),
      ),
    ).toBe(false);
  });

  it("runs reconcile every 5 minutes", () => {
    const schedules = rules().filter(([, props]) => props.ScheduleExpression !== undefined);
    expect(
      schedules.map(([, props]) => [props.ScheduleExpression, targetName(props.Targets[0].Arn)]),
    ).toEqual([["rate(5 minutes)", "reconcile"]]);
  });

  it("gives every target delivery retries and the function's dead-letter queue, which EventBridge may write to", () => {
    const policies = resourcesOf(synth.pipeline, "AWS::SQS::QueuePolicy");
    for (const [id, props] of rules()) {
      expect(props.Targets, id).toHaveLength(1);
      const [target] = props.Targets;
      const queue = deadLettersOf(synth.pipeline, referenced(target.Arn) ?? "");
      expect(target, id).toMatchObject({
        RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 7200 },
        DeadLetterConfig: { Arn: { "Fn::GetAtt": [queue, "Arn"] } },
      });
      const policy = policies.find(([, p]) => referenced(p.Queues[0]) === queue)?.[1];
      expect(policy?.PolicyDocument.Statement, id).toContainEqual(
        expect.objectContaining({
          Action: "sqs:SendMessage",
          Principal: { Service: "events.amazonaws.com" },
          Condition: { ArnEquals: { "aws:SourceArn": { "Fn::GetAtt": [id, "Arn"] } } },
        }),
      );
    }
  });

  it("retries a failed invocation twice in Lambda, then sends the event and error to the same queue", () => {
    const configs = resourcesOf(synth.pipeline, "AWS::Lambda::EventInvokeConfig");
    expect(configs).toHaveLength(FUNCTIONS.length);
    for (const [, props] of configs)
      expect(props).toMatchObject({ MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 6 * 3600 });
  });

  it("subscribes notify to the topic, only for Portcullis notifications about the configured repositories", () => {
    const notify = functionId(synth.pipeline, "notify");
    const [subscription, ...others] = resourcesOf(synth.pipeline, "AWS::SNS::Subscription");
    expect(others).toEqual([]);
    expect(subscription?.[1]).toEqual({
      Protocol: "lambda",
      Endpoint: { "Fn::GetAtt": [notify, "Arn"] },
      TopicArn: { "Fn::ImportValue": expect.stringMatching(/^test-portcullis-State:.*Notifications/) },
      FilterPolicy: { repository: [REPOSITORY] },
      RedrivePolicy: {
        deadLetterTargetArn: { "Fn::GetAtt": [deadLettersOf(synth.pipeline, notify), "Arn"] },
      },
    });
  });
});

describe("the Pipeline's queues, keys and alarms", () => {
  it("encrypts every dead-letter queue with the pipeline's key, keeps messages 14 days and refuses plain HTTP", () => {
    const [[key]] = resourcesOf(synth.pipeline, "AWS::KMS::Key") as [[string, CfnProps]];
    const queues = resourcesOf(synth.pipeline, "AWS::SQS::Queue");
    expect(queues).toHaveLength(FUNCTIONS.length);
    const policies = resourcesOf(synth.pipeline, "AWS::SQS::QueuePolicy");
    for (const [id, props] of queues) {
      expect(props, id).toMatchObject({
        KmsMasterKeyId: { "Fn::GetAtt": [key, "Arn"] },
        MessageRetentionPeriod: 14 * 86400,
      });
      const policy = policies.find(([, p]) => referenced(p.Queues[0]) === id)?.[1];
      expect(policy?.PolicyDocument.Statement, id).toContainEqual(
        expect.objectContaining({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
      );
    }
  });

  it("lets EventBridge and SNS write dead letters and CloudWatch alarms publish to the encrypted topic, for this account", () => {
    const [[, key]] = resourcesOf(synth.pipeline, "AWS::KMS::Key") as [[string, CfnProps]];
    expect(key.EnableKeyRotation).toBe(true);
    const sourceAccount = { StringEquals: { "aws:SourceAccount": { Ref: "AWS::AccountId" } } };
    expect(key.KeyPolicy.Statement).toContainEqual(
      expect.objectContaining({
        Principal: { Service: ["events.amazonaws.com", "sns.amazonaws.com"] },
        Action: ["kms:GenerateDataKey", "kms:Decrypt"],
        Condition: sourceAccount,
      }),
    );
    const [[, stateKey]] = resourcesOf(synth.state, "AWS::KMS::Key") as [[string, CfnProps]];
    expect(stateKey.KeyPolicy.Statement).toContainEqual(
      expect.objectContaining({
        Principal: { Service: "cloudwatch.amazonaws.com" },
        Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
        Condition: sourceAccount,
      }),
    );
  });

  it("alarms on any function error and any dead letter, notifying the topic", () => {
    const alarms = resourcesOf(synth.pipeline, "AWS::CloudWatch::Alarm").map(([, props]) => props);
    const topic = [{ "Fn::ImportValue": expect.stringMatching(/^test-portcullis-State:.*Notifications/) }];
    const breach = {
      Threshold: 0,
      ComparisonOperator: "GreaterThanThreshold",
      EvaluationPeriods: 1,
      AlarmActions: topic,
    };
    for (const name of FUNCTIONS) {
      const fn = functionId(synth.pipeline, name);
      const queue = deadLettersOf(synth.pipeline, fn);
      expect(alarms, name).toContainEqual(
        expect.objectContaining({
          ...breach,
          Namespace: "AWS/Lambda",
          MetricName: "Errors",
          Statistic: "Sum",
          Dimensions: [{ Name: "FunctionName", Value: { Ref: fn } }],
        }),
      );
      expect(alarms, name).toContainEqual(
        expect.objectContaining({
          ...breach,
          Namespace: "AWS/SQS",
          MetricName: "ApproximateNumberOfMessagesVisible",
          Statistic: "Maximum",
          Dimensions: [{ Name: "QueueName", Value: { "Fn::GetAtt": [queue, "QueueName"] } }],
        }),
      );
    }
    expect(alarms).toHaveLength(2 * FUNCTIONS.length);
  });

  it("charts decisions, promotion latency, replication and dead letters with the metrics the handlers emit", async () => {
    const [[, dashboard]] = resourcesOf(synth.pipeline, "AWS::CloudWatch::Dashboard") as [[string, CfnProps]];
    const body = JSON.parse(text(dashboard.DashboardBody)) as {
      widgets: { properties: { title?: string; metrics?: unknown[][] } }[];
    };
    const titled = (title: string) =>
      body.widgets.find((w) => w.properties.title?.startsWith(title))?.properties.metrics ?? [];
    const own = body.widgets
      .flatMap((w) => w.properties.metrics ?? [])
      .filter((m) => m[0] === METRICS_NAMESPACE);
    expect([pipelineDefaults.metricsNamespace, pipelineDefaults.serviceName]).toEqual([
      METRICS_NAMESPACE,
      serviceName,
    ]);
    const emitted = await emittedMetricNames();
    for (const metric of own) {
      expect(emitted, String(metric[1])).toContain(metric[1]);
      expect(metric, String(metric[1])).toEqual(expect.arrayContaining(["service", serviceName]));
    }
    expect(titled("Decisions").map((m) => m.slice(0, 4))).toEqual(
      DECISION_OUTCOMES.map((outcome) => [METRICS_NAMESPACE, "Decisions", "outcome", outcome]),
    );
    expect(titled("Promotion latency").map((m) => m[1])).toEqual([
      "PromotionLatency",
      "PromotionLatency",
      "PromotionLatency",
    ]);
    for (const [title, name] of [
      ["Replication bytes", "ReplicationBytes"],
      ["Replication failures", "ReplicationFailures"],
    ] as const)
      expect(titled(title).map((m) => m.slice(1, 4))).toEqual(
        synth.config.replicaRegions.map((region) => [name, "region", region]),
      );
    expect(titled("Dead letters").map((m) => m.slice(0, 2))).toEqual(
      FUNCTIONS.map(() => ["AWS/SQS", "ApproximateNumberOfMessagesVisible"]),
    );
  });
});

describe("cdk-nag AwsSolutions on the Pipeline", () => {
  it("reports no unsuppressed error or warning in the Pipeline and State stacks", () => {
    const findings = synth.messages.filter(
      (m) => (m.level === "error" || m.level === "warning") && m.text.includes("AwsSolutions"),
    );
    expect(findings.map((f) => `${f.stack}: ${f.text.slice(0, 160)}`)).toEqual([]);
  });

  it("names the reason of every suppression", () => {
    const suppressions = Object.values(synth.pipeline.Resources).flatMap(
      (r) =>
        (r.Metadata?.cdk_nag as { rules_to_suppress?: { id: string; reason: string }[] })
          ?.rules_to_suppress ?? [],
    );
    expect(new Set(suppressions.map((s) => s.id))).toEqual(
      new Set(["AwsSolutions-IAM5", "AwsSolutions-L1", "AwsSolutions-SQS3", "AwsSolutions-IAM4"]),
    );
    for (const s of suppressions) expect(s.reason.length, s.id).toBeGreaterThan(40);
  });
});
