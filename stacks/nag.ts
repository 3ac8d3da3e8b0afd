import type { Stack } from "aws-cdk-lib";
import type * as codebuild from "aws-cdk-lib/aws-codebuild";
import { NagSuppressions } from "cdk-nag";

/**
 * SST v2 puts a custom resource handler Lambda in every stack (sst/constructs Stack) with the AWS managed
 * basic execution policy; Portcullis neither creates nor configures it.
 */
export function suppressSstInternals(stack: Stack): void {
  const handler = stack.node.tryFindChild("CustomResourceHandler");
  if (handler === undefined) return;
  NagSuppressions.addResourceSuppressions(
    handler,
    [
      {
        id: "AwsSolutions-IAM4",
        reason: "SST's own per-stack custom resource handler uses AWSLambdaBasicExecutionRole for its logs",
        appliesTo: ["Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"],
      },
      {
        id: "AwsSolutions-L1",
        reason: "SST's own custom resource handler: its runtime is pinned by SST 2.49.8",
      },
    ],
    true,
  );
}

/** The wildcards CDK's own grants put in a project role, each with why it is as narrow as it gets. */
export function suppressProjectRoleFindings(project: codebuild.Project): void {
  if (project.role === undefined) return;
  NagSuppressions.addResourceSuppressions(
    project.role,
    [
      {
        id: "AwsSolutions-IAM5",
        reason: "ecr:GetAuthorizationToken has no resource-level permissions: the one action on *",
        appliesTo: ["Resource::*"],
      },
      {
        id: "AwsSolutions-IAM5",
        reason: "CDK's read grant on the build.sh asset: one object key in the CDK bootstrap bucket",
        appliesTo: ["Action::s3:GetObject*", "Action::s3:GetBucket*", "Action::s3:List*"],
      },
      {
        id: "AwsSolutions-IAM5",
        reason: "CodeBuild creates one log stream per build in the project's own log group",
        appliesTo: [
          {
            regex:
              "/^Resource::arn:<AWS::Partition>:logs:.*:log-group:\\/aws\\/codebuild\\/<Project.*>:\\*$/g",
          },
        ],
      },
      {
        id: "AwsSolutions-IAM5",
        reason: "CodeBuild's report groups are named after the project; this project writes no reports",
        appliesTo: [
          { regex: "/^Resource::arn:<AWS::Partition>:codebuild:.*:report-group\\/<Project.*>-\\*$/g" },
        ],
      },
      {
        id: "AwsSolutions-IAM5",
        reason: "CodeBuild's grant on the project's own KMS key (data key generation and re-encryption)",
        appliesTo: ["Action::kms:ReEncrypt*", "Action::kms:GenerateDataKey*"],
      },
    ],
    true,
  );
}
