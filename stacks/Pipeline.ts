import { Aws, type Stack } from "aws-cdk-lib";
import type * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import type * as kms from "aws-cdk-lib/aws-kms";
import type * as sns from "aws-cdk-lib/aws-sns";
import { type StackContext, use } from "sst/constructs";
import { useProject } from "sst/project.js";
import { buildProjectName } from "../src/build/buildProjectName.ts";
import type { PortcullisConfig } from "../src/config/PortcullisConfig.ts";
import { registryKeyAlias } from "../src/config/registryKeyAlias.ts";
import { repositorySettings } from "../src/config/repositorySettings.ts";
import { ValidationError } from "../src/core/ValidationError.ts";
import { rulePatterns } from "../src/events/rulePatterns.ts";
import { Build } from "./Build.ts";
import { useConfig } from "./config.ts";
import { operatorPolicy } from "./operatorPolicy.ts";
import { pipelineDashboard } from "./pipelineDashboard.ts";
import type { PipelineFunctionName } from "./pipelineDefaults.ts";
import {
  FUNCTION_SETTINGS,
  type SettingValues,
  settingsEnvironment,
  settingValues,
} from "./pipelineEnvironment.ts";
import { PipelineFunction } from "./pipelineFunction.ts";
import { grantPipelineAccess } from "./pipelineGrants.ts";
import { allowAlarmsToPublish, deadLetterKey } from "./pipelineKeys.ts";
import { suppressFunctionFindings } from "./pipelineNag.ts";
import { type BundledPolicy, bundledPolicy } from "./pipelinePolicy.ts";
import { addPipelineRules, subscribeToTopic } from "./pipelineRules.ts";
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
 * @example app.stack(State).stack(Registry).stack(Build).stack(Pipeline) // as registerStacks does
 */
export function Pipeline({ app, stack }: StackContext): PipelineResources {
  const config = useConfig(app);
  const state = use(State);
  use(Registry); // deployed after the repositories it reads and tags,
  use(Build); // and the projects whose builds it reports
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
    attestationKeyArn: state.attestationKey.keyArn,
  });
  const deadLetters = deadLetterKey(stack, app.stage);
  const functions = createFunctions(stack, {
    config,
    values,
    policy,
    key: deadLetters,
    alarmTopic: state.topic,
  });
  allowAlarmsToPublish(state.key, state.topic);
  grantPipelineAccess(stack, { config, state, functions, registryKeyAlias: keyAlias });

  const buildProjects = repositories.map((name) => buildProjectName(app.name, app.stage, name));
  addPipelineRules(stack, {
    patterns: rulePatterns({ repositories, buildProjects }),
    bus: state.bus,
    functions,
    ...(config.scanning === "basic" && { skip: new Set(["findingChanged"] as const) }),
  });
  const notify = functions.get("notify");
  if (notify !== undefined) subscribeToTopic(state.topic, notify, repositories);

  const dashboard = pipelineDashboard(stack, {
    dashboardName: `${app.name}-${app.stage}`,
    functions,
    replicaRegions: config.replicaRegions,
  });
  const operators = operatorPolicy(stack, { config, state, functions, deadLetterKey: deadLetters });
  // After every grant: the suppressions attach to the policies the grants created.
  for (const fn of functions.values()) suppressFunctionFindings(fn);
  stack.addOutputs({
    DashboardName: dashboard.dashboardName,
    OperatorPolicyArn: operators.managedPolicyArn,
    ...Object.fromEntries(
      [...functions.values()].flatMap((fn) => [
        [`${fn.node.id}Function`, fn.fn.functionName],
        [`${fn.node.id}DeadLetters`, fn.deadLetters.queueUrl],
      ]),
    ),
  });
  return { functions, dashboard };
}

/** What the functions are made from. */
interface FunctionSources {
  readonly config: PortcullisConfig;
  readonly values: SettingValues;
  readonly policy: BundledPolicy;
  readonly key: kms.IKey;
  readonly alarmTopic: sns.ITopic;
}

/** One PipelineFunction per function (replicate only when there are replica regions), keyed by name. */
function createFunctions(
  stack: Stack,
  sources: FunctionSources,
): Map<PipelineFunctionName, PipelineFunction> {
  const { config, values, policy, key, alarmTopic } = sources;
  const functions = new Map<PipelineFunctionName, PipelineFunction>();
  for (const name of Object.keys(DESCRIPTIONS) as PipelineFunctionName[]) {
    if (name === "replicate" && config.replicaRegions.length === 0) continue;
    const id = name.charAt(0).toUpperCase() + name.slice(1);
    const fn = new PipelineFunction(stack, id, {
      name,
      description: DESCRIPTIONS[name],
      environment: settingsEnvironment(FUNCTION_SETTINGS[name], values),
      ...(POLICY_READERS.includes(name) && { copyFiles: policy.copyFiles }),
      key,
      alarmTopic,
      reservedConcurrency: config.functions.reservedConcurrency[name],
    });
    functions.set(name, fn);
  }
  return functions;
}
