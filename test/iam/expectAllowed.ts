import type { PortcullisConfig } from "../../src/config/index.ts";
import type { AwsCall } from "./AwsCall.ts";
import { DeployedPolicies, type DeployedRole } from "./deployedPolicies.ts";
import { describeRefusal, refusedCalls } from "./simulateCalls.ts";
import { synthTemplates } from "./synthTemplates.ts";

const deployments = new Map<PortcullisConfig, Promise<DeployedPolicies>>();

/** The deployment of a configuration's primary region, synthesized once per configuration and process. */
export function deployedPolicies(config: PortcullisConfig): Promise<DeployedPolicies> {
  let deployed = deployments.get(config);
  if (deployed === undefined) {
    deployed = synthTemplates(config).then(
      (templates) => new DeployedPolicies(templates, config.primaryRegion),
    );
    deployments.set(config, deployed);
  }
  return deployed;
}

/**
 * The deployed role of a caller: a pipeline function by name (`gate`), the CodeBuild project of a repository
 * (`codebuild:shop/web`), the release role GitHub Actions assume (`release`), or an operator with the
 * Pipeline stack's operator policy (`operator`).
 */
export function roleOf(deployed: DeployedPolicies, caller: string): DeployedRole {
  if (caller === "release") return deployed.releaseRole();
  if (caller === "operator") return deployed.operatorRole();
  if (caller.startsWith("codebuild:")) return deployed.projectRole(caller.slice("codebuild:".length));
  return deployed.functionRole(caller);
}

/**
 * Throws when a caller (a pipeline function, a CodeBuild project, the release role) made a call its deployed role
 * does not allow, one line per refused call naming the caller, action, resource and call site.
 * @example await expectCallsAllowed(recorder.take(), config)
 */
export async function expectCallsAllowed(calls: readonly AwsCall[], config: PortcullisConfig): Promise<void> {
  const deployed = await deployedPolicies(config);
  const refused = await refusedCalls(
    calls,
    (caller) => roleOf(deployed, caller),
    deployed.resourcePolicies(),
  );
  if (refused.length > 0)
    throw new Error(
      `${refused.length} AWS call(s) the deployed roles do not allow:\n${refused.map(describeRefusal).join("\n")}`,
    );
}
