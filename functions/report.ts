/**
 * Lambda entry point of the report function (CodeBuild state changes and Portcullis events → a GitHub check run
 * or commit status): the state table, the GitHub credentials from Secrets Manager, createReportHandler.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { secretsManagerSecrets } from "../src/aws/SecretsManagerSecrets.ts";
import { systemClock } from "../src/core/Clock.ts";
import { createReportHandler } from "../src/handlers/report/createReportHandler.ts";
import { FUNCTION_SETTINGS } from "../src/lambda/functionSettings.ts";
import { githubCredentialsLoader } from "../src/lambda/githubCredentialsLoader.ts";
import { lambdaHandler } from "../src/lambda/lambdaHandler.ts";
import { loadSettings } from "../src/lambda/loadSettings.ts";
import { logger, metrics, traced } from "../src/lambda/powertools.ts";
import { powertoolsLog, powertoolsMetrics } from "../src/lambda/powertoolsPorts.ts";
import { gitHubReporterProvider } from "../src/report/github/createGitHubReporter.ts";
import { createReleaseStore } from "../src/store/createReleaseStore.ts";

const settings = loadSettings(FUNCTION_SETTINGS.report);
const log = powertoolsLog(logger);
const secrets = secretsManagerSecrets({ client: traced(new SecretsManagerClient({})) });

/** The report function. */
export const handler = lambdaHandler(
  createReportHandler({
    store: createReleaseStore({ client: traced(new DynamoDBClient({})), tableName: settings.tableName }),
    github: gitHubReporterProvider(githubCredentialsLoader(settings, secrets), {
      ...(settings.githubApiUrl !== undefined && { baseUrl: settings.githubApiUrl }),
      log,
    }),
    clock: systemClock,
    log,
    metrics: powertoolsMetrics(metrics),
    settings: {
      account: settings.account,
      regions: [settings.primaryRegion],
      repositories: settings.repositories,
    },
    // Check runs say the decision is signed and show `portcullis verify` against the region's ECR.
    options: {
      attestation: {
        registry: (region) => `${settings.account}.dkr.ecr.${region}.amazonaws.com`,
        keyFlag: `--kms-key-id ${settings.attestationKeyArn}`,
      },
    },
  }),
);
