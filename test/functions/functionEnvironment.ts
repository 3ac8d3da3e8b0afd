import { fileURLToPath } from "node:url";
import { createTable } from "../../src/store/index.ts";
import { type DynaliteHandle, startDynalite } from "../support/startDynalite.ts";

/** What the stacks would set, for a test deployment in us-east-1 replicating to eu-west-1. */
export const ACCOUNT = "123456789012";
export const PRIMARY = "us-east-1";
export const TABLE = "portcullis-test-State";
export const BUS = "portcullis-test";
export const TOPIC = `arn:aws:sns:${PRIMARY}:${ACCOUNT}:portcullis-test-events`;

/** The repository root, standing in for the function's code directory (LAMBDA_TASK_ROOT). */
export const TASK_ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** A function's environment: a dynalite table behind AWS_ENDPOINT_URL_DYNAMODB, fake credentials, the stack's variables. */
export interface FunctionEnvironment {
  readonly dynalite: DynaliteHandle;
  restore(): Promise<void>;
}

/**
 * Sets the environment a Portcullis function is deployed with (plus `variables`), with its DynamoDB table served
 * by dynalite; `restore` puts the previous environment back and stops dynalite.
 * @example const env = await functionEnvironment({ PORTCULLIS_REPOSITORY_SETTINGS: "…" }); const { handler } = await import("../../functions/replicate.ts");
 */
export async function functionEnvironment(variables: Record<string, string>): Promise<FunctionEnvironment> {
  const dynalite = await startDynalite();
  await createTable(dynalite.client, TABLE);
  const previous = { ...process.env };
  Object.assign(process.env, {
    AWS_REGION: PRIMARY,
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_ENDPOINT_URL_DYNAMODB: dynalite.endpoint,
    AWS_LAMBDA_INITIALIZATION_TYPE: "on-demand",
    PORTCULLIS_ACCOUNT: ACCOUNT,
    PORTCULLIS_PRIMARY_REGION: PRIMARY,
    PORTCULLIS_REPLICA_REGIONS: "eu-west-1",
    PORTCULLIS_REPOSITORIES: "team/app",
    PORTCULLIS_TABLE_NAME: TABLE,
    PORTCULLIS_EVENT_BUS: BUS,
    PORTCULLIS_TOPIC_ARN: TOPIC,
    PORTCULLIS_POLICY_FILE: "test/fixtures/policies/payments.yaml",
    PORTCULLIS_RELEASE_BRANCHES: "main",
    PORTCULLIS_RELEASE_TAG_PATTERNS: "v*",
    PORTCULLIS_SCANNING: "basic",
    PORTCULLIS_ATTESTATION_KEY_ARN: `arn:aws:kms:${PRIMARY}:${ACCOUNT}:key/0b9f6d0e-1c1e-4c59-9d6a-5f1a2b3c4d5e`,
    LAMBDA_TASK_ROOT: TASK_ROOT,
    ...variables,
  });
  return {
    dynalite,
    async restore() {
      for (const key of Object.keys(process.env)) if (!(key in previous)) delete process.env[key];
      Object.assign(process.env, previous);
      await dynalite.stop();
    },
  };
}
