import { Aws, RemovalPolicy } from "aws-cdk-lib";
import type * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import * as iam from "aws-cdk-lib/aws-iam";
import * as kms from "aws-cdk-lib/aws-kms";
import * as sns from "aws-cdk-lib/aws-sns";
import * as subscriptions from "aws-cdk-lib/aws-sns-subscriptions";
import { type StackContext, use } from "sst/constructs";
import { useProject } from "sst/project.js";
import { buildProjectName } from "../src/build/buildProjectName.ts";
import { registryKeyAlias } from "../src/config/registryKeyAlias.ts";
import { repositorySettings } from "../src/config/repositorySettings.ts";
import { ValidationError } from "../src/core/ValidationError.ts";
import { rulePatterns } from "../src/events/rulePatterns.ts";
import { Build } from "./Build.ts";
import { useConfig } from "./config.ts";
import { pipelineDashboard } from "./pipelineDashboard.ts";
import type { PipelineFunctionName } from "./pipelineDefaults.ts";
import { FUNCTION_SETTINGS, settingsEnvironment, settingValues } from "./pipelineEnvironment.ts";
import { PipelineFunction } from "./pipelineFunction.ts";
import { grantPipelineAccess } from "./pipelineGrants.ts";
import { suppressFunctionFindings } from "./pipelineNag.ts";
import { bundledPolicy } from "./pipelinePolicy.ts";
import { addPipelineRules } from "./pipelineRules.ts";
import { Registry } from "./Registry.ts";
import { State } from "./State.ts";

/** What the Pipeline stack hands to the others. */
export interface PipelineResources {
  /** The deployed functions by name (replicate only when there are replica regions). */
  readonly functions: ReadonlyMap<PipelineFunctionName, PipelineFunction>;
  readonly dashboard: cloudwatch.Dashboard;
}

/** What each function is for (its Lambda description). */
const DESCRIPTIONS: Record<PipelineFunctionName, string> = {
  register: "Portcullis register: a pushed build tag becomes a release candidate",
  gate: "Portcullis gate: scans in, policy evaluated once, promotion tags moved on pass",
  reconcile:
    "Portcullis reconcile: lost scans recovered, overdue candidates failed closed, new findings re-evaluated",
  replicate: "Portcullis replicate: promoted images copied digest-identical to the replica regions",
  report: "Portcullis report: GitHub check runs or commit statuses",
  notify: "Portcullis notify: Slack messages from the notification topic",
};

/** Functions that evaluate the gate policy, so get it bundled. */
const POLICY_READERS: readonly PipelineFunctionName[] = ["register", "gate", "reconcile"];

/**
 * The serverless pipeline, wiring only: the functions (shared defaults in PipelineFunction), EventBridge rules
 * from src/events' rulePatterns (the patterns the local bus matches) on the default bus for AWS events and on
 * the Portcullis bus for its own, the reconcile schedule, notify subscribed to the topic, least-privilege
 * grants, alarms to the topic, and the dashboard. Needs the primary region's State, Registry and Build.
 */
export function Pipeline({ app, stack }: StackContext): PipelineResources {
  const config = useConfig(app);
  const state = use(State);
  use(Registry);
  use(Build);
  const settings = repositorySettings(config);
  if (!settings.ok) throw new ValidationError("repository settings", settings.error);
  const repositories = config.repositories.map((repository) => repository.name);
  const policy = bundledPolicy(useProject().paths.root, config.policyFile);
  const keyAlias = registryKeyAlias(app.name, app.stage);
  const values = settingValues({
    config,
    account: Aws.ACCOUNT_ID,
    tableName: state.table.tableName,
    eventBusName: state.bus.eventBusName,
    topicArn: state.topic.topicArn,
    policyFile: policy.path,
    kmsKeyAlias: keyAlias,
    repositorySettings: JSON.stringify(settings.value),
  });
  const key = deadLetterKey(stack, app.stage);
  allowAlarmsToPublish(state.key);

  const functions = new Map<PipelineFunctionName, PipelineFunction>();
  for (const name of Object.keys(DESCRIPTIONS) as PipelineFunctionName[]) {
    if (name === "replicate" && config.replicaRegions.length === 0) continue;
    const id = name.charAt(0).toUpperCase() + name.slice(1);
    functions.set(
      name,
      new PipelineFunction(stack, id, {
        name,
        description: DESCRIPTIONS[name],
        environment: settingsEnvironment(FUNCTION_SETTINGS[name], values),
        ...(POLICY_READERS.includes(name) && { copyFiles: policy.copyFiles }),
        key,
        alarmTopic: state.topic,
      }),
    );
  }
  grantPipelineAccess(stack, { config, state, functions, registryKeyAlias: keyAlias });

  const buildProjects = repositories.map((name) => buildProjectName(app.name, app.stage, name));
  addPipelineRules(stack, {
    patterns: rulePatterns({ repositories, buildProjects }),
    bus: state.bus,
    functions,
    ...(config.scanning === "basic" && { skip: new Set(["findingChanged"] as const) }),
  });
  const notify = functions.get("notify");
  if (notify !== undefined)
    state.topic.addSubscription(
      new subscriptions.LambdaSubscription(notify.fn, {
        deadLetterQueue: notify.deadLetters,
        // Portcullis notifications only (they carry `repository`); alarm messages go to other subscribers.
        filterPolicy: {
          repository: sns.SubscriptionFilter.stringFilter({ allowlist: repositories }),
        },
      }),
    );

  const dashboard = pipelineDashboard(stack, {
    dashboardName: `${app.name}-${app.stage}`,
    functions,
    replicaRegions: config.replicaRegions,
  });
  // After every grant: the suppressions attach to the policies the grants created.
  for (const fn of functions.values()) suppressFunctionFindings(fn);
  stack.addOutputs({
    DashboardName: dashboard.dashboardName,
    ...Object.fromEntries(
      [...functions.values()].flatMap((fn) => [
        [`${fn.node.id}Function`, fn.fn.functionName],
        [`${fn.node.id}DeadLetters`, fn.deadLetters.queueUrl],
      ]),
    ),
  });
  return { functions, dashboard };
}

/** Encrypts the dead-letter queues; EventBridge and SNS write dead letters there on this account's behalf. */
function deadLetterKey(stack: StackContext["stack"], stage: string): kms.Key {
  const key = new kms.Key(stack, "DeadLetterKey", {
    description: `Portcullis ${stage}: the functions' dead-letter queues`,
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: "DeadLettersFromEventBridgeAndSns",
      principals: [
        new iam.ServicePrincipal("events.amazonaws.com"),
        new iam.ServicePrincipal("sns.amazonaws.com"),
      ],
      actions: ["kms:GenerateDataKey", "kms:Decrypt"],
      resources: ["*"],
      conditions: { StringEquals: { "aws:SourceAccount": Aws.ACCOUNT_ID } },
    }),
  );
  return key;
}

/**
 * CloudWatch alarm actions publish to the KMS-encrypted topic: the State key must let CloudWatch use it (alarms
 * of this account only), or alarm notifications are dropped silently.
 */
function allowAlarmsToPublish(stateKey: kms.IKey): void {
  stateKey.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: "AlarmsToNotificationTopic",
      principals: [new iam.ServicePrincipal("cloudwatch.amazonaws.com")],
      actions: ["kms:GenerateDataKey*", "kms:Decrypt"],
      resources: ["*"],
      conditions: { StringEquals: { "aws:SourceAccount": Aws.ACCOUNT_ID } },
    }),
  );
}
