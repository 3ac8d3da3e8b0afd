import type { Stack } from "aws-cdk-lib";
import type { PortcullisConfig } from "../src/config/PortcullisConfig.ts";
import {
  allow,
  allowRegistryKeyUse,
  allowRegistryLogin,
  allowSecretKeyUse,
  allowSecretRead,
  ECR_ACTIONS,
  INSPECTOR_FINDINGS_ACTIONS,
  repositoryArns,
} from "./pipelineAccess.ts";
import type { PipelineFunctionName } from "./pipelineDefaults.ts";
import type { PipelineFunction } from "./pipelineFunction.ts";
import type { StateResources } from "./State.ts";

const unique = (...lists: (readonly string[])[]) => [...new Set(lists.flat())];

/**
 * ECR actions each function needs on the primary region's repositories. Register, gate and reconcile can each
 * be the one that decides a candidate (whoever completes it), so each may read findings and move tags;
 * register also reads the index and its configs and lists tags; each attaches the signed summary of a decision
 * it makes and reads the index's build provenance when the policy requires it; replicate reads what it copies.
 */
export const PRIMARY_ECR_ACTIONS: Partial<Record<PipelineFunctionName, readonly string[]>> = {
  register: unique(
    ECR_ACTIONS.pull,
    ECR_ACTIONS.listTags,
    ECR_ACTIONS.tag,
    ECR_ACTIONS.findings,
    ECR_ACTIONS.attest,
    ECR_ACTIONS.provenance,
  ),
  gate: unique(ECR_ACTIONS.tag, ECR_ACTIONS.findings, ECR_ACTIONS.attest, ECR_ACTIONS.provenance),
  reconcile: unique(ECR_ACTIONS.tag, ECR_ACTIONS.findings, ECR_ACTIONS.attest, ECR_ACTIONS.provenance),
  replicate: ECR_ACTIONS.pull,
};

/**
 * The functions that sign verification summaries, kms:Sign on the attestation key theirs alone: the ones that
 * decide (register decides when a build's scans arrive before its push).
 */
export const SIGNING_FUNCTIONS: readonly PipelineFunctionName[] = ["register", "gate", "reconcile"];

/** Functions that publish Portcullis events and notifications (the report and notify functions only read). */
const PUBLISHERS: readonly PipelineFunctionName[] = ["register", "gate", "reconcile", "replicate"];

/** What {@link grantPipelineAccess} grants on. */
export interface PipelineGrantsProps {
  readonly config: PortcullisConfig;
  readonly state: StateResources;
  readonly functions: ReadonlyMap<PipelineFunctionName, PipelineFunction>;
  /** The alias of every region's registry key (src/config registryKeyAlias). */
  readonly registryKeyAlias: string;
}

/**
 * Least privilege, one grant per port a function uses: the state table (read/write, its key through the
 * table's grant), the bus and the topic for publishers, kms:Sign on the attestation key for the signing
 * functions, ECR actions on the configured repositories only (in
 * replica regions for replicate, with the registry key through ECR), Inspector's findings reads wherever ECR's
 * are granted (whichever way the account's registry scans), and GetSecretValue on the configured secrets only
 * (with kms:Decrypt through Secrets Manager on their customer-managed key when one is configured).
 * @example grantPipelineAccess(stack, { config, state, functions, registryKeyAlias })
 */
export function grantPipelineAccess(stack: Stack, props: PipelineGrantsProps): void {
  const { config, state, functions } = props;
  const names = config.repositories.map((repository) => repository.name);
  const primary = repositoryArns(stack, config.primaryRegion, names);
  for (const [name, { role }] of functions) {
    state.table.grantReadWriteData(role);
    if (PUBLISHERS.includes(name)) {
      state.bus.grantPutEventsTo(role);
      state.topic.grantPublish(role);
    }
    if (SIGNING_FUNCTIONS.includes(name)) allow(role, ["kms:Sign"], [state.attestationKey.keyArn]);
    const actions = PRIMARY_ECR_ACTIONS[name];
    if (actions === undefined) continue;
    allowRegistryLogin(role);
    allow(role, actions, primary);
    // Whatever `scanning` says: the account's registry may scan with Inspector all the same (the setting is
    // account-wide and may be owned elsewhere), and then DescribeImageScanFindings needs Inspector's reads.
    if (actions.includes("ecr:DescribeImageScanFindings")) allow(role, INSPECTOR_FINDINGS_ACTIONS, ["*"]);
  }
  const replicate = functions.get("replicate");
  if (replicate !== undefined)
    for (const region of config.replicaRegions) {
      allow(
        replicate.role,
        unique(ECR_ACTIONS.push, ECR_ACTIONS.provision),
        repositoryArns(stack, region, names),
      );
      allowRegistryKeyUse(replicate.role, stack, region, props.registryKeyAlias);
    }
  const reportSecret =
    config.report?.kind === "check-run" ? config.report.githubAppSecret : config.report?.statusTokenSecret;
  const secrets: [PipelineFunctionName, string | undefined][] = [
    ["report", reportSecret],
    ["notify", config.slack?.webhookSecret],
  ];
  for (const [name, secret] of secrets) {
    const role = functions.get(name)?.role;
    if (role === undefined || secret === undefined) continue;
    allowSecretRead(role, stack, secret);
    if (config.secretsKmsKey !== undefined)
      allowSecretKeyUse(role, config.secretsKmsKey, config.primaryRegion);
  }
}
