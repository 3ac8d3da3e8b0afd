import { EcrFindingsSource } from "../aws/EcrFindingsSource.ts";
import type { HandlerDeps } from "../handlers/HandlerDeps.ts";
import { awsPipelineDeps } from "./awsPipelineDeps.ts";
import { CANDIDATE_FUNCTION_SETTINGS } from "./functionSettings.ts";
import { loadPolicyFile } from "./loadPolicyFile.ts";
import { loadSettings } from "./loadSettings.ts";

/**
 * The AWS adapters behind the ports the register, gate and reconcile handlers share, built once at init from the
 * environment: the DynamoDB state table, ECR registries (OCI API with GetAuthorizationToken) and scan findings
 * per region, the EventBridge bus, the SNS topic, Powertools logging and metrics, and the bundled policy.
 * Throws SettingsError (or InvalidPolicyError) naming what is wrong, so a misconfigured function fails at init.
 * @example export const handler = lambdaHandler(createGateHandler(await awsHandlerDeps()));
 */
export async function awsHandlerDeps(
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<HandlerDeps> {
  const settings = loadSettings(CANDIDATE_FUNCTION_SETTINGS, env);
  const policy = await loadPolicyFile(settings.policyFile);
  const { ecr, ...shared } = awsPipelineDeps(settings);
  return {
    ...shared,
    findings: new EcrFindingsSource({ ecr, registryId: settings.account }),
    settings: {
      account: settings.account,
      regions: [settings.primaryRegion],
      repositories: settings.repositories,
      replicaRegions: settings.replicaRegions,
      policy,
      ...(settings.tagRules !== undefined && { tagRules: settings.tagRules }),
      refFilter: { branches: settings.releaseBranches, tagPatterns: settings.releaseTagPatterns },
      scanner: settings.scanning,
    },
  };
}
