import { Duration } from "aws-cdk-lib";
import type * as codebuild from "aws-cdk-lib/aws-codebuild";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as logs from "aws-cdk-lib/aws-logs";
import type { Stack } from "sst/constructs";
import { releaseSessionHours } from "../src/build/releaseSessionHours.ts";
import type { PortcullisConfig } from "../src/config/PortcullisConfig.ts";
import { ASSUME_ACTION, GITHUB_OIDC_URL, STS_AUDIENCE } from "../src/oidc/githubOidc.ts";
import { trustPolicy } from "../src/oidc/trustPolicy.ts";

/**
 * The environment variables `portcullis build start` passes (src/build buildEnvironment): the only ones a caller
 * may set. Everything else the build reads (PORTCULLIS_IMAGE, _CACHE, _BUILDKIT_IMAGE…) is the project's.
 */
export const START_VARIABLES = [
  "PORTCULLIS_COMMIT",
  "PORTCULLIS_REF",
  "PORTCULLIS_SOURCE_URL",
  "PORTCULLIS_RUN_URL",
] as const;

/**
 * StartBuildBatch's condition keys (CodeBuild's service authorization reference) for every override that would
 * let a caller run something other than the project's build: another buildspec, source, secondary source (which
 * carries build.sh), image, privileges, role, key, cache, artifacts, logs or batch limits. Each is present in the
 * request context exactly when the request carries that override, so a Null test denies it. The parents of the
 * environment and source keys (`codebuild:environment`, `codebuild:source`) are left out: the variables and the
 * commit a caller must pass belong to those structures.
 */
export const DENIED_OVERRIDES = [
  "codebuild:source.buildspec",
  "codebuild:source.location",
  "codebuild:source.auth.type",
  "codebuild:source.auth.resource",
  "codebuild:source.insecureSsl",
  "codebuild:secondarySources",
  "codebuild:secondarySources.location",
  "codebuild:secondarySources.buildspec",
  "codebuild:environment.image",
  "codebuild:environment.type",
  "codebuild:environment.computeType",
  "codebuild:environment.privilegedMode",
  "codebuild:environment.certificate",
  "codebuild:environment.registryCredential",
  "codebuild:environment.imagePullCredentialsType",
  "codebuild:serviceRole",
  "codebuild:buildBatchConfig",
  "codebuild:buildBatchConfig.serviceRole",
  "codebuild:encryptionKey",
  "codebuild:cache",
  "codebuild:artifacts",
  "codebuild:secondaryArtifacts",
  "codebuild:logsConfig",
] as const;

/**
 * The GitHub OIDC provider (or the account's existing one) and the release role GitHub Actions assume:
 * trusted exactly as src/oidc's document says, allowed to start and read the projects' batches (never with
 * an override of the project's build, see {@link DENIED_OVERRIDES}) and to read their logs.
 */
export function createReleaseRole(
  stack: Stack,
  config: PortcullisConfig,
  projects: readonly codebuild.Project[],
  logGroups: readonly logs.ILogGroup[],
): iam.Role {
  const provider = config.github.oidcProviderArn
    ? iam.OidcProviderNative.fromOidcProviderArn(stack, "GitHubOidc", config.github.oidcProviderArn)
    : new iam.OidcProviderNative(stack, "GitHubOidc", { url: GITHUB_OIDC_URL, clientIds: [STS_AUDIENCE] });
  const trust = trustPolicy({ providerArn: provider.oidcProviderArn, identity: config.github });
  const role = new iam.Role(stack, "ReleaseRole", {
    roleName: `${stack.stackName}-release`.slice(0, 64),
    description: `GitHub Actions of ${config.github.owner}/${config.github.repo} start and follow Portcullis builds`,
    assumedBy: new iam.FederatedPrincipal(provider.oidcProviderArn, {}, ASSUME_ACTION),
    maxSessionDuration: Duration.hours(releaseSessionHours(config.build.timeoutMinutes)),
  });
  // Deployed verbatim: the document src/oidc builds is the one `portcullis trust-policy` prints and lints.
  (role.node.defaultChild as iam.CfnRole).addPropertyOverride("AssumeRolePolicyDocument", trust);
  const projectArns = projects.map((project) => project.projectArn);
  iam.Grant.addToPrincipal({
    grantee: role,
    actions: ["codebuild:StartBuildBatch", "codebuild:BatchGetBuildBatches", "codebuild:BatchGetBuilds"],
    resourceArns: projectArns,
  });
  denyBuildOverrides(role, projectArns);
  for (const logGroup of logGroups) logGroup.grant(role, "logs:GetLogEvents");
  return role;
}

/**
 * The project is the contract: a caller chooses the commit and passes the {@link START_VARIABLES}, nothing
 * else. One Deny per override (conditions within a statement must all hold, so one statement could not deny
 * each alone), and one for any variable name outside the list.
 */
function denyBuildOverrides(role: iam.Role, projectArns: readonly string[]): void {
  for (const key of DENIED_OVERRIDES)
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        effect: iam.Effect.DENY,
        actions: ["codebuild:StartBuildBatch"],
        resources: [...projectArns],
        conditions: { Null: { [key]: "false" } },
      }),
    );
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      effect: iam.Effect.DENY,
      actions: ["codebuild:StartBuildBatch"],
      resources: [...projectArns],
      conditions: {
        "ForAnyValue:StringNotEquals": {
          "codebuild:environment.environmentVariables.name": [...START_VARIABLES],
        },
      },
    }),
  );
}
