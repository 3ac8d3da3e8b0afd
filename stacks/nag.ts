import type { Stack } from "aws-cdk-lib";
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
