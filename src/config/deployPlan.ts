import type { PortcullisConfig } from "./PortcullisConfig.ts";

/** Deploy or remove. */
export type DeployAction = "deploy" | "remove";

/** One `sst` run: a region and the stacks it holds. */
export interface DeployStep {
  readonly region: string;
  readonly role: "primary" | "replica";
  readonly stacks: readonly string[];
  /** The command line, without the `npx` in front. */
  readonly argv: readonly string[];
}

/** The stack outputs the release workflow's `env` is set from (see README, Deploying to AWS). */
export const WORKFLOW_OUTPUTS = /^(ReleaseRoleArn|Project\w+)$/;

/**
 * The `sst` runs that deploy (or remove) every region, in order. SST v2 deploys one region per run. Deploy:
 * the primary first (State, Registry, Build, Pipeline), then each replica's Registry, as the README's steps do;
 * remove: the reverse, replicas first, so the pipeline is the last to go (the State stack's table and topic
 * are retained by their removal policy). Pure.
 * @example deployPlan(config, "deploy", "prod")[1].argv // => ["sst", "deploy", "--stage", "prod", "--region", "eu-west-1"]
 */
export function deployPlan(
  config: Pick<PortcullisConfig, "primaryRegion" | "replicaRegions">,
  action: DeployAction,
  stage: string,
): DeployStep[] {
  const steps: DeployStep[] = [
    step(config.primaryRegion, "primary", action, stage),
    ...config.replicaRegions.map((region) => step(region, "replica", action, stage)),
  ];
  return action === "deploy" ? steps : steps.reverse();
}

function step(region: string, role: DeployStep["role"], action: DeployAction, stage: string): DeployStep {
  return {
    region,
    role,
    stacks: role === "primary" ? ["State", "Registry", "Build", "Pipeline"] : ["Registry"],
    argv: ["sst", action, "--stage", stage, "--region", region],
  };
}

/** A stage name SST accepts: letters, digits and hyphens, starting with a letter. */
export function checkStage(stage: string): string | undefined {
  return /^[a-zA-Z][a-zA-Z0-9-]{0,63}$/.test(stage)
    ? undefined
    : `--stage ${JSON.stringify(stage)} must start with a letter and hold only letters, digits and hyphens`;
}

/**
 * Merges one region's outputs (SST's `.sst/outputs.json` after a run) into what the earlier runs left, each
 * stack keyed `<region>/<stack>` (a replica's Registry stack has the primary's name), so the operator commands
 * find the primary's State and Pipeline outputs after the replicas' runs overwrote the file.
 * @example mergeOutputs({}, "us-east-1", { "prod-portcullis-State": { TableName: "t" } })
 */
export function mergeOutputs(
  merged: Readonly<Record<string, Record<string, string>>>,
  region: string,
  run: unknown,
): Record<string, Record<string, string>> {
  const next = { ...merged };
  if (typeof run !== "object" || run === null) return next;
  for (const [stack, outputs] of Object.entries(run as Record<string, unknown>))
    if (typeof outputs === "object" && outputs !== null)
      next[`${region}/${stack}`] = Object.fromEntries(
        Object.entries(outputs).filter(([, v]) => typeof v === "string"),
      ) as Record<string, string>;
  return next;
}
