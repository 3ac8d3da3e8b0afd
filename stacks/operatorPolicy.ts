import { Aws, type Stack } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as kms from "aws-cdk-lib/aws-kms";
import { NagSuppressions } from "cdk-nag";
import type { PortcullisConfig } from "../src/config/PortcullisConfig.ts";
import { ECR_ACTIONS, INSPECTOR_FINDINGS_ACTIONS, repositoryArns } from "./pipelineAccess.ts";
import type { PipelineFunctionName } from "./pipelineDefaults.ts";
import type { PipelineFunction } from "./pipelineFunction.ts";
import type { StateResources } from "./State.ts";

/** What the operator policy grants on. */
export interface OperatorPolicyProps {
  readonly config: PortcullisConfig;
  readonly state: StateResources;
  readonly functions: ReadonlyMap<PipelineFunctionName, PipelineFunction>;
  /** The key of the functions' dead-letter queues. */
  readonly deadLetterKey: kms.IKey;
}

/**
 * The managed policy for whoever runs the operator commands (`portcullis status`, `history`, `rollback`,
 * `redrive`, `reconcile --now`): attach it to the operators' role or group. Exactly what those commands call:
 * the state table (reads; tag-history writes for a rollback) and its key through DynamoDB; ECR's registry API
 * on the configured repositories in every region (tags listed, manifests read and PUT under a tag, scan findings
 * for a rollback's policy check, with Inspector's reads) and the login; Publish on the notification topic (its
 * key through SNS); PutEvents on the Portcullis bus (a rollback's event, for the check run); Invoke on the functions; receive and delete on their dead-letter queues (their key through
 * SQS). test/iam/operatorCalls.test.ts simulates every call the commands make against it.
 * @example operatorPolicy(stack, { config, state, functions, deadLetterKey })
 */
export function operatorPolicy(stack: Stack, props: OperatorPolicyProps): iam.ManagedPolicy {
  const { config, state, functions } = props;
  const names = config.repositories.map((repository) => repository.name);
  const regions = [config.primaryRegion, ...config.replicaRegions];
  const via = (service: string) => ({
    StringEquals: { "kms:ViaService": `${service}.${Aws.REGION}.amazonaws.com` },
  });
  const statements = [
    new iam.PolicyStatement({
      sid: "ReleaseState",
      actions: [
        "dynamodb:GetItem",
        "dynamodb:Query",
        "dynamodb:Scan",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
      ],
      resources: [state.table.tableArn],
    }),
    new iam.PolicyStatement({
      sid: "StateKeyThroughDynamoDbAndSns",
      actions: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:DescribeKey"],
      resources: [state.key.keyArn],
      conditions: {
        "ForAnyValue:StringEquals": {
          "kms:ViaService": [`dynamodb.${Aws.REGION}.amazonaws.com`, `sns.${Aws.REGION}.amazonaws.com`],
        },
      },
    }),
    new iam.PolicyStatement({
      sid: "RegistryLogin",
      actions: ["ecr:GetAuthorizationToken"],
      resources: ["*"],
    }),
    new iam.PolicyStatement({
      sid: "PromotionTagsEverywhere",
      actions: [...new Set([...ECR_ACTIONS.tag, ...ECR_ACTIONS.findings])],
      resources: regions.flatMap((region) => repositoryArns(stack, region, names)),
    }),
    new iam.PolicyStatement({
      sid: "InspectorFindings",
      actions: [...INSPECTOR_FINDINGS_ACTIONS],
      resources: ["*"],
    }),
    new iam.PolicyStatement({ sid: "Announce", actions: ["sns:Publish"], resources: [state.topic.topicArn] }),
    new iam.PolicyStatement({
      sid: "ReportRollbacks",
      actions: ["events:PutEvents"],
      resources: [state.bus.eventBusArn],
    }),
    new iam.PolicyStatement({
      sid: "InvokeFunctions",
      actions: ["lambda:InvokeFunction"],
      resources: [...functions.values()].map((fn) => fn.fn.functionArn),
    }),
    new iam.PolicyStatement({
      sid: "DeadLetters",
      actions: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"],
      resources: [...functions.values()].map((fn) => fn.deadLetters.queueArn),
    }),
    new iam.PolicyStatement({
      sid: "DeadLetterKeyThroughSqs",
      actions: ["kms:Decrypt"],
      resources: [props.deadLetterKey.keyArn],
      conditions: via("sqs"),
    }),
  ];
  const policy = new iam.ManagedPolicy(stack, "OperatorPolicy", {
    description: "Portcullis operators: status, history, rollback, redrive, reconcile --now",
    statements,
  });
  NagSuppressions.addResourceSuppressions(policy, [
    {
      id: "AwsSolutions-IAM5",
      reason:
        "Actions without resource-level permissions: ecr:GetAuthorizationToken (registry login) and " +
        "inspector2:ListFindings/ListCoverage (read by ECR's DescribeImageScanFindings on the caller's behalf)",
      appliesTo: ["Resource::*"],
    },
    {
      id: "AwsSolutions-IAM5",
      reason: "Data keys of the one state key, only through DynamoDB and SNS (kms:ViaService)",
      appliesTo: ["Action::kms:GenerateDataKey*"],
    },
  ]);
  return policy;
}
