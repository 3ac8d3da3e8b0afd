/**
 * Lambda entry point of the replicate function ("Image Promoted" → copy to the replica regions). Wiring only:
 * settings from the environment, AWS adapters, the handler factory, the middy stack.
 */
import { EcrRepositoryProvisioner } from "../src/aws/EcrRepositoryProvisioner.ts";
import { createReplicateHandler } from "../src/handlers/replicate/createReplicateHandler.ts";
import { awsPipelineDeps } from "../src/lambda/awsPipelineDeps.ts";
import { FUNCTION_SETTINGS } from "../src/lambda/functionSettings.ts";
import { lambdaHandler } from "../src/lambda/lambdaHandler.ts";
import { loadSettings } from "../src/lambda/loadSettings.ts";

const settings = loadSettings(FUNCTION_SETTINGS.replicate);
const { ecr, ...shared } = awsPipelineDeps(settings);

/** The replicate function. */
export const handler = lambdaHandler(
  createReplicateHandler({
    ...shared,
    provisioner: new EcrRepositoryProvisioner({
      ecr,
      settings: settings.repositorySettings,
      kmsKey: () => settings.kmsKey,
      tags: { "portcullis:created-by": "replicate" },
    }),
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
