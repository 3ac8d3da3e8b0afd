import { NagSuppressions } from "cdk-nag";
import type { PipelineFunction } from "./pipelineFunction.ts";

/**
 * The cdk-nag findings a Portcullis function raises although it is as narrow as AWS allows, each with why. Called
 * for every function: the `*` resource holds only actions AWS offers no resource-level permissions for (a test
 * asserts which), everything else is scoped to one table, key, queue, log group or repository.
 */
export function suppressFunctionFindings(fn: PipelineFunction): void {
  NagSuppressions.addResourceSuppressions(
    fn.role,
    [
      {
        id: "AwsSolutions-IAM5",
        reason:
          "Actions without resource-level permissions: xray:PutTraceSegments/PutTelemetryRecords (active tracing), " +
          "ecr:GetAuthorizationToken (registry login) and, with enhanced scanning, inspector2:ListFindings/" +
          "ListCoverage (read by ECR's DescribeImageScanFindings on the caller's behalf)",
        appliesTo: ["Resource::*"],
      },
      {
        id: "AwsSolutions-IAM5",
        reason:
          "CDK's grants on one KMS key each (state table and topic, dead-letter queue): data keys and re-encryption",
        appliesTo: ["Action::kms:ReEncrypt*", "Action::kms:GenerateDataKey*"],
      },
      {
        id: "AwsSolutions-IAM5",
        reason: "The state table's own global secondary index (byPhase), which the reconciler queries",
        appliesTo: [{ regex: "/^Resource::<ReleaseState[A-Za-z0-9]*\\.Arn>\\/index\\/\\*$/g" }],
      },
      {
        id: "AwsSolutions-IAM5",
        reason:
          "Replica regions' registry keys are known by alias only: key/* is narrowed by kms:ResourceAliases to " +
          "that alias and by kms:ViaService to ECR of that region (CreateRepository with the key)",
        appliesTo: [{ regex: "/^Resource::arn:<AWS::Partition>:kms:[a-z0-9-]+:[^:]+:key\\/\\*$/g" }],
      },
    ],
    true,
  );
  NagSuppressions.addResourceSuppressions(fn.fn, [
    {
      id: "AwsSolutions-L1",
      reason:
        "Portcullis targets nodejs22.x on purpose (DEVELOPERS.md): the runtime its bundles are built and measured for",
    },
  ]);
  NagSuppressions.addResourceSuppressions(fn.deadLetters, [
    {
      id: "AwsSolutions-SQS3",
      reason:
        "This queue is a dead-letter queue: of the function's EventBridge targets or SNS subscription and its " +
        "Lambda on-failure destination (cdk-nag only recognizes queues named in an SQS redrive policy)",
    },
  ]);
}
