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
 * The GitHub OIDC provider (or the account's existing one) and the release role GitHub Actions assume:
 * trusted exactly as src/oidc's document says, allowed to start and read the projects' batches (never with
 * a buildspec of its own) and to read their logs.
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
  // The project's buildspec is the contract: a caller may pass variables, never a buildspec of its own.
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      effect: iam.Effect.DENY,
      actions: ["codebuild:StartBuildBatch"],
      resources: projectArns,
      conditions: { Null: { "codebuild:source.buildspec": "false" } },
    }),
  );
  for (const logGroup of logGroups) logGroup.grant(role, "logs:GetLogEvents");
  return role;
}
