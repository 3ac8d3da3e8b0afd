import type { SettingName } from "./settingSchemas.ts";

/** What the functions that advance a candidate (register, gate and reconcile) read: awsHandlerDeps loads these. */
export const CANDIDATE_FUNCTION_SETTINGS = [
  "account",
  "primaryRegion",
  "replicaRegions",
  "repositories",
  "tableName",
  "eventBusName",
  "topicArn",
  "policyFile",
  "tagRules",
  "releaseBranches",
  "releaseTagPatterns",
  "scanning",
] as const satisfies readonly SettingName[];

/**
 * What the deciding functions (register, gate, reconcile: whichever completes a candidate decides it) read
 * besides: the KMS key they sign verification summaries with (kms:Sign is theirs alone).
 */
export const DECIDING_FUNCTION_SETTINGS = [
  ...CANDIDATE_FUNCTION_SETTINGS,
  "attestationKeyArn",
] as const satisfies readonly SettingName[];

/**
 * The settings each function loads at init, by function: the entry points in functions/ load exactly these and
 * the Pipeline stack sets exactly these variables. Pure data (no SDK), so synth can import it.
 */
export const FUNCTION_SETTINGS = {
  register: DECIDING_FUNCTION_SETTINGS,
  gate: DECIDING_FUNCTION_SETTINGS,
  reconcile: DECIDING_FUNCTION_SETTINGS,
  replicate: [
    "account",
    "primaryRegion",
    "repositories",
    "tableName",
    "eventBusName",
    "topicArn",
    "repositorySettings",
    "kmsKey",
    "maxReplicationAttempts",
  ],
  report: [
    "account",
    "primaryRegion",
    "repositories",
    "tableName",
    "attestationKeyArn",
    "githubAppSecret",
    "statusTokenSecret",
    "githubApiUrl",
  ],
  notify: ["repositories", "tableName", "topicArn", "slackWebhookSecret"],
} as const satisfies Record<string, readonly SettingName[]>;
