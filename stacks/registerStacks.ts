import { Aspects } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import { type App, getStack } from "sst/constructs";
import type { PortcullisConfig } from "../src/config/PortcullisConfig.ts";
import { regionRole } from "../src/config/regionRole.ts";
import { ValidationError } from "../src/core/ValidationError.ts";
import { Build } from "./Build.ts";
import { bindConfig } from "./config.ts";
import { suppressSstInternals } from "./nag.ts";
import { Pipeline } from "./Pipeline.ts";
import { Registry } from "./Registry.ts";
import { State } from "./State.ts";

/**
 * Adds every Portcullis stack for the app's region, in dependency order: in the primary region
 * State → Registry → Build (→ Pipeline, with the functions), in a replica region the Registry alone (SST v2
 * deploys one region at a time: `sst deploy --region <replica>`). cdk-nag's AWS Solutions checks run on
 * every synth; each suppression names its reason where the resource is made.
 * @example registerStacks(app, parsedConfig)
 */
export function registerStacks(app: App, config: PortcullisConfig): void {
  const role = regionRole(config, app.region);
  if (!role.ok) throw new ValidationError("deployment region", role.error);
  bindConfig(app, config);
  app.setDefaultFunctionProps({ runtime: "nodejs22.x", architecture: "arm_64", nodejs: { minify: true } });
  const stacks = role.value === "primary" ? [State, Registry, Build, Pipeline] : [Registry];
  for (const stack of stacks) {
    app.stack(stack);
    suppressSstInternals(getStack(stack));
  }
  Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
}
