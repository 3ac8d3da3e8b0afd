import type { PortcullisConfig } from "../src/config/PortcullisConfig.ts";
import { FUNCTION_SETTINGS as FUNCTION_SETTINGS_BY_FUNCTION } from "../src/lambda/functionSettings.ts";
import { SETTINGS, type SettingName } from "../src/lambda/settingSchemas.ts";
import type { PipelineFunctionName } from "./pipelineDefaults.ts";

/** The settings each function reads at init (src/lambda/functionSettings.ts), one list per Pipeline function. */
export const FUNCTION_SETTINGS = FUNCTION_SETTINGS_BY_FUNCTION satisfies Record<
  PipelineFunctionName,
  readonly SettingName[]
>;

/** A value (plain or a CDK token) for each setting the stack can fill; optional ones may be absent. */
export type SettingValues = { readonly [N in SettingName]?: string };

/** What the settings are made from: the configuration and the deployed resources' names. */
export interface SettingSources {
  readonly config: PortcullisConfig;
  readonly account: string;
  readonly tableName: string;
  readonly eventBusName: string;
  readonly topicArn: string;
  /** The bundled policy's path (relative to the function's code). */
  readonly policyFile: string;
  /** The registry key alias every region's Registry stack creates. */
  readonly kmsKeyAlias: string;
  /** The JSON the replicate function creates repositories with (src/config repositorySettings). */
  readonly repositorySettings: string;
  /** The KMS key the deciding functions sign verification summaries with. */
  readonly attestationKeyArn: string;
}

/**
 * Every setting's value, serialized as src/lambda's schemas read them: lists comma-separated, objects as JSON,
 * secrets by name or ARN (the values stay in Secrets Manager). Unconfigured optional settings are left out.
 * @example settingValues({ config, account: stack.account, tableName: table.tableName, … }).repositories // "team/app"
 */
export function settingValues(sources: SettingSources): SettingValues {
  const { config } = sources;
  const report = config.report;
  return {
    account: sources.account,
    primaryRegion: config.primaryRegion,
    replicaRegions: config.replicaRegions.join(","),
    repositories: config.repositories.map((repository) => repository.name).join(","),
    tableName: sources.tableName,
    eventBusName: sources.eventBusName,
    topicArn: sources.topicArn,
    policyFile: sources.policyFile,
    repositorySettings: sources.repositorySettings,
    tagRules: JSON.stringify(config.tags),
    releaseBranches: config.github.branches.join(","),
    releaseTagPatterns: config.github.tagPatterns.join(","),
    scanning: config.scanning,
    kmsKey: sources.kmsKeyAlias,
    attestationKeyArn: sources.attestationKeyArn,
    ...(report?.kind === "check-run" && { githubAppSecret: report.githubAppSecret }),
    ...(report?.kind === "commit-status" && { statusTokenSecret: report.statusTokenSecret }),
    ...(config.slack && { slackWebhookSecret: config.slack.webhookSecret }),
  };
}

/**
 * The `PORTCULLIS_*` environment of a function: one variable per setting it reads, named by src/lambda's
 * SETTINGS. A required setting without a value is a wiring mistake and throws, naming the variable; an optional
 * one without a value is left unset (the function reads that as "not configured").
 * @example settingsEnvironment(FUNCTION_SETTINGS.replicate, values) // { PORTCULLIS_ACCOUNT: "…", … }
 */
export function settingsEnvironment(
  names: readonly SettingName[],
  values: SettingValues,
): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const name of names) {
    const setting: { env: string; optional?: boolean } = SETTINGS[name];
    const value = values[name];
    if (value !== undefined) environment[setting.env] = value;
    else if (setting.optional !== true) throw new Error(`no value for ${setting.env} (setting ${name})`);
  }
  return environment;
}
