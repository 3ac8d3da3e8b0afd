import type { PortcullisConfig } from "../../src/config/index.ts";
import type { AwsCall } from "./AwsCall.ts";
import { DeployedPolicies } from "./deployedPolicies.ts";
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
 * Throws when a pipeline function made a call its deployed role does not allow, one line per refused call
 * naming the function, action, resource and call site.
 * @example await expectFunctionCallsAllowed(recorder.take(), config)
 */
export async function expectFunctionCallsAllowed(
  calls: readonly AwsCall[],
  config: PortcullisConfig,
): Promise<void> {
  const deployed = await deployedPolicies(config);
  const refused = await refusedCalls(calls, (fn) => deployed.functionRole(fn), deployed.resourcePolicies());
  if (refused.length > 0)
    throw new Error(
      `${refused.length} AWS call(s) the deployed roles do not allow:\n${refused.map(describeRefusal).join("\n")}`,
    );
}
