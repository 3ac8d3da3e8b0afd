import { EcrFindingsSource } from "../aws/EcrFindingsSource.ts";
import { kmsAttestationSigner } from "../aws/kmsAttestationSigner.ts";
import type { HandlerDeps } from "../handlers/HandlerDeps.ts";
import { awsPipelineDeps } from "./awsPipelineDeps.ts";
import { FUNCTION_SETTINGS } from "./functionSettings.ts";
import { loadPolicyFile } from "./loadPolicyFile.ts";
import { loadSettings } from "./loadSettings.ts";

/**
 * The AWS adapters behind the ports the register, gate and reconcile handlers share, built once at init from the
 * environment: the DynamoDB state table, ECR registries (OCI API with GetAuthorizationToken) and scan findings
 * per region, the EventBridge bus, the SNS topic, Powertools logging and metrics, the bundled policy, and the
 * KMS key each decision's verification summary is signed with (attestation is required: without the key a
 * decision's summary, and the announcement after it, wait for a function that has it).
 * Throws SettingsError (or InvalidPolicyError) naming what is wrong, so a misconfigured function fails at init.
 * @example export const handler = lambdaHandler(createGateHandler(await awsHandlerDeps("gate")));
 */
export async function awsHandlerDeps(
  fn: "register" | "gate" | "reconcile",
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<HandlerDeps> {
  const settings = loadSettings(FUNCTION_SETTINGS[fn], env);
  const keyArn = "attestationKeyArn" in settings ? settings.attestationKeyArn : undefined;
  const policy = await loadPolicyFile(settings.policyFile);
  const { ecr, ...shared } = awsPipelineDeps(settings);
  return {
    ...shared,
    findings: new EcrFindingsSource({ ecr, registryId: settings.account }),
    ...(keyArn !== undefined && { signer: kmsAttestationSigner(keyArn) }),
    settings: {
      account: settings.account,
      regions: [settings.primaryRegion],
      repositories: settings.repositories,
      replicaRegions: settings.replicaRegions,
      policy,
      ...(settings.tagRules !== undefined && { tagRules: settings.tagRules }),
      refFilter: { branches: settings.releaseBranches, tagPatterns: settings.releaseTagPatterns },
      scanner: settings.scanning,
      attestation: { required: true },
    },
  };
}
