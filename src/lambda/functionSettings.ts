import type { SettingName } from "./settingSchemas.ts";

/** What register, gate and reconcile read (they share awsHandlerDeps). */
const handlerSettings = [
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
 * The settings each function loads at init, by function: the entry points in functions/ load exactly these and
 * the Pipeline stack sets exactly these variables. Pure data (no SDK), so synth can import it.
 */
export const FUNCTION_SETTINGS = {
  register: handlerSettings,
  gate: handlerSettings,
  reconcile: handlerSettings,
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
    "githubAppSecret",
    "statusTokenSecret",
    "githubApiUrl",
  ],
  notify: ["repositories", "tableName", "topicArn", "slackWebhookSecret"],
} as const satisfies Record<string, readonly SettingName[]>;
