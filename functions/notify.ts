/**
 * Lambda entry point of the notify function (SNS notification topic → Slack): the state table (claims), the
 * webhook URL from Secrets Manager, createNotifyHandler.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { secretsManagerSecrets } from "../src/aws/SecretsManagerSecrets.ts";
import { systemClock } from "../src/core/Clock.ts";
import { createNotifyHandler } from "../src/handlers/notify/createNotifyHandler.ts";
import { FUNCTION_SETTINGS } from "../src/lambda/functionSettings.ts";
import { lambdaHandler } from "../src/lambda/lambdaHandler.ts";
import { loadSettings } from "../src/lambda/loadSettings.ts";
import { logger, metrics, traced } from "../src/lambda/powertools.ts";
import { powertoolsLog, powertoolsMetrics } from "../src/lambda/powertoolsPorts.ts";
import { slackWebhookProvider } from "../src/notify/slackWebhook.ts";
import { createReleaseStore } from "../src/store/createReleaseStore.ts";

const settings = loadSettings(FUNCTION_SETTINGS.notify);
const secrets = secretsManagerSecrets({ client: traced(new SecretsManagerClient({})) });
const webhookSecret = settings.slackWebhookSecret;

/** The notify function. */
export const handler = lambdaHandler(
  createNotifyHandler({
    store: createReleaseStore({ client: traced(new DynamoDBClient({})), tableName: settings.tableName }),
    slack: slackWebhookProvider(async () =>
      webhookSecret === undefined ? undefined : secrets.text(webhookSecret),
    ),
    clock: systemClock,
    log: powertoolsLog(logger),
    metrics: powertoolsMetrics(metrics),
    settings: { topicArn: settings.topicArn, repositories: settings.repositories },
  }),
);
