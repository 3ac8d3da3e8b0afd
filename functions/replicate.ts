/**
 * Lambda entry point of the replicate function ("Image Promoted" → copy to the replica regions). Wiring only:
 * settings from the environment, AWS adapters, the handler factory, the middy stack.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { ECRClient } from "@aws-sdk/client-ecr";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { SNSClient } from "@aws-sdk/client-sns";
import { EcrRegistryDirectory } from "../src/aws/EcrRegistryDirectory.ts";
import { EcrRepositoryProvisioner } from "../src/aws/EcrRepositoryProvisioner.ts";
import { EventBridgePublisher } from "../src/aws/EventBridgePublisher.ts";
import { regionalClients } from "../src/aws/regionalClients.ts";
import { SnsNotificationPublisher } from "../src/aws/SnsNotificationPublisher.ts";
import { createReplicateHandler } from "../src/handlers/createReplicateHandler.ts";
import { lambdaHandler } from "../src/lambda/lambdaHandler.ts";
import { loadSettings } from "../src/lambda/loadSettings.ts";
import { logger, metrics, traced } from "../src/lambda/powertools.ts";
import { powertoolsLog, powertoolsMetrics } from "../src/lambda/powertoolsPorts.ts";
import { systemClock } from "../src/lambda/systemClock.ts";
import { createReleaseStore } from "../src/store/createReleaseStore.ts";

const settings = loadSettings([
  "account",
  "primaryRegion",
  "repositories",
  "tableName",
  "eventBusName",
  "topicArn",
  "repositorySettings",
  "kmsKey",
  "maxReplicationAttempts",
]);
const ecr = regionalClients((region) => traced(new ECRClient({ region })));

/** The replicate function. */
export const handler = lambdaHandler(
  createReplicateHandler({
    store: createReleaseStore({ client: traced(new DynamoDBClient({})), tableName: settings.tableName }),
    registry: new EcrRegistryDirectory({ account: settings.account, ecr }),
    provisioner: new EcrRepositoryProvisioner({
      ecr,
      settings: settings.repositorySettings,
      kmsKey: () => settings.kmsKey,
      tags: { "portcullis:created-by": "replicate" },
    }),
    events: new EventBridgePublisher({
      client: traced(new EventBridgeClient({})),
      busName: settings.eventBusName,
    }),
    notifications: new SnsNotificationPublisher({
      client: traced(new SNSClient({})),
      topicArn: settings.topicArn,
    }),
    clock: systemClock,
    log: powertoolsLog(logger),
    metrics: powertoolsMetrics(metrics),
    settings: {
      account: settings.account,
      regions: [settings.primaryRegion],
      repositories: settings.repositories,
    },
    ...(settings.maxReplicationAttempts !== undefined && {
      options: { maxReplicationAttempts: settings.maxReplicationAttempts },
    }),
  }),
);
