import { dirname, resolve } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { ECRClient } from "@aws-sdk/client-ecr";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { SNSClient } from "@aws-sdk/client-sns";
import { EcrFindingsSource } from "../../aws/EcrFindingsSource.ts";
import { EcrRegistryDirectory } from "../../aws/EcrRegistryDirectory.ts";
import { EventBridgePublisher } from "../../aws/EventBridgePublisher.ts";
import { LambdaFunctionInvoker } from "../../aws/LambdaFunctionInvoker.ts";
import { regionalClients } from "../../aws/regionalClients.ts";
import { SnsNotificationPublisher } from "../../aws/SnsNotificationPublisher.ts";
import { SqsDeadLetterQueue } from "../../aws/SqsDeadLetterQueue.ts";
import { loadConfig, type PortcullisConfig } from "../../config/index.ts";
import { resolveSettings } from "../../handlers/edge/handlerSettings.ts";
import type { RollbackContext } from "../../handlers/rollback/rollbackRelease.ts";
import { settingsFromConfig } from "../../handlers/settingsFromConfig.ts";
import { loadPolicyFile } from "../../lambda/loadPolicyFile.ts";
import type { FunctionInvoker } from "../../operator/FunctionInvoker.ts";
import type { DeadLetterQueue } from "../../operator/redrive.ts";
import { createReleaseStore, DynamoReleaseCatalog } from "../../store/index.ts";
import { type CommandIo, UsageError } from "../Command.ts";
import { DEFAULT_OUTPUTS_FILE, readDeployedOutputs } from "./deployedOutputs.ts";

/** What every operator command works with: the configuration and the ports of a rollback (reads included). */
export interface OperatorContext extends RollbackContext {
  readonly config: PortcullisConfig;
  /** The primary region first, then the replicas. */
  readonly regions: readonly string[];
  /** Lambda Invoke in the primary region (reconcile --now, redrive). */
  readonly invoker: FunctionInvoker;
  /** A function's name from the Pipeline stack's outputs (`Reconcile` → output `ReconcileFunction`). */
  functionName(name: string): string;
  /** A function's dead-letter queue from the outputs (`Gate` → output `GateDeadLetters`, a queue URL). */
  deadLetterQueue(name: string): DeadLetterQueue;
  /** The functions the deployed Pipeline stack has (`Gate`, `Reconcile`, …), from its outputs. */
  readonly functions: readonly string[];
}

/** Where the configuration and the outputs are. */
export interface OperatorOptions {
  readonly config?: string;
  readonly outputs?: string;
}

/**
 * The AWS adapters behind the operator commands, from the configuration and the deployed stacks' outputs:
 * the state table (DynamoDB), ECR in every configured region (OCI API with GetAuthorizationToken), scan
 * findings (DescribeImageScanFindings, for a rollback's policy check), the notification topic (SNS) and Lambda
 * Invoke (reconcile --now, redrive). The
 * same ports the Lambdas use, so an IAM simulation records what each command calls.
 * @example const ctx = await awsOperatorContext(io, { config: "portcullis.config.ts" })
 */
export async function awsOperatorContext(io: CommandIo, options: OperatorOptions): Promise<OperatorContext> {
  const configFile = resolve(io.cwd, options.config ?? "portcullis.config.ts");
  const config = await loadConfig(configFile);
  const outputs = await readDeployedOutputs(resolve(io.cwd, options.outputs ?? DEFAULT_OUTPUTS_FILE));
  const policy = await loadPolicyFile(config.policyFile, dirname(configFile));
  const ecr = regionalClients((region) => new ECRClient({ region }));
  const dynamo = new DynamoDBClient({ region: config.primaryRegion });
  return {
    config,
    regions: [config.primaryRegion, ...config.replicaRegions],
    store: createReleaseStore({ client: dynamo, tableName: outputs.tableName }),
    catalog: new DynamoReleaseCatalog({ client: dynamo, tableName: outputs.tableName }),
    registry: new EcrRegistryDirectory({ account: outputs.account, ecr }),
    findings: new EcrFindingsSource({ ecr, registryId: outputs.account }),
    events: new EventBridgePublisher({
      client: new EventBridgeClient({ region: config.primaryRegion }),
      busName: outputs.eventBusName,
    }),
    notifications: new SnsNotificationPublisher({
      client: new SNSClient({ region: config.primaryRegion }),
      topicArn: outputs.topicArn,
    }),
    clock: { now: () => new Date() },
    invoker: new LambdaFunctionInvoker(new LambdaClient({ region: config.primaryRegion })),
    functionName: (name) => output(outputs.all, `${name}Function`),
    deadLetterQueue: (name) =>
      new SqsDeadLetterQueue({
        queueUrl: output(outputs.all, `${name}DeadLetters`),
        region: config.primaryRegion,
      }),
    functions: Object.keys(outputs.all)
      .filter(
        (key) => key.endsWith("Function") && outputs.all[`${key.slice(0, -8)}DeadLetters`] !== undefined,
      )
      .map((key) => key.slice(0, -8)),
    log: silentLog,
    metrics: { count() {}, duration() {} },
    settings: resolveSettings(settingsFromConfig(config, { account: outputs.account, policy })),
  };
}

function output(all: Readonly<Record<string, string>>, name: string): string {
  const value = all[name];
  if (value === undefined)
    throw new UsageError(
      `the deployed outputs have no ${name} (known: ${Object.keys(all)
        .filter((k) => k.endsWith("Function"))
        .join(", ")}); deploy the Pipeline stack with \`npm run deploy\``,
    );
  return value;
}

const silentLog = { debug() {}, info() {}, warn() {}, error() {} };
