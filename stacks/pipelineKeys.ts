import { Aws, RemovalPolicy, type Stack } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import * as kms from "aws-cdk-lib/aws-kms";
import type * as sns from "aws-cdk-lib/aws-sns";

/**
 * The key of the functions' dead-letter queues. EventBridge (rule targets) and SNS (notify's subscription) write
 * dead letters on this account's behalf, so the key lets them, for this account only; the functions get it
 * through their queue grants.
 * @example const key = deadLetterKey(stack, app.stage);
 */
export function deadLetterKey(stack: Stack, stage: string): kms.Key {
  const key = new kms.Key(stack, "DeadLetterKey", {
    description: `Portcullis ${stage}: the functions' dead-letter queues`,
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: "DeadLettersFromEventBridgeAndSns",
      principals: [
        new iam.ServicePrincipal("events.amazonaws.com"),
        new iam.ServicePrincipal("sns.amazonaws.com"),
      ],
      actions: ["kms:GenerateDataKey", "kms:Decrypt"],
      resources: ["*"],
      conditions: { StringEquals: { "aws:SourceAccount": Aws.ACCOUNT_ID } },
    }),
  );
  return key;
}

/**
 * CloudWatch alarm actions publish to the KMS-encrypted notification topic: the topic's policy must let CloudWatch
 * publish (`enforceSSL` replaces SNS's default policy with one holding only its Deny) and the State key must let
 * it use the key, for this account's alarms only, or alarm notifications are dropped silently. Both statements
 * land in the State stack's policies and refer to nothing of the Pipeline's, so no dependency runs back.
 * Conditions as AWS's CloudWatch guide recommends for SNS topic policies (aws:SourceArn, aws:SourceAccount).
 * @example allowAlarmsToPublish(state.key, state.topic);
 */
export function allowAlarmsToPublish(topicKey: kms.IKey, topic: sns.ITopic): void {
  const cloudwatch = new iam.ServicePrincipal("cloudwatch.amazonaws.com");
  const thisAccount = { StringEquals: { "aws:SourceAccount": Aws.ACCOUNT_ID } };
  topicKey.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: "AlarmsToNotificationTopic",
      principals: [cloudwatch],
      actions: ["kms:GenerateDataKey*", "kms:Decrypt"],
      resources: ["*"],
      conditions: thisAccount,
    }),
  );
  topic.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: "AlarmsOfThisAccount",
      principals: [cloudwatch],
      actions: ["sns:Publish"],
      resources: [topic.topicArn],
      conditions: {
        ...thisAccount,
        ArnLike: {
          "aws:SourceArn": `arn:${Aws.PARTITION}:cloudwatch:${Aws.REGION}:${Aws.ACCOUNT_ID}:alarm:*`,
        },
      },
    }),
  );
}
