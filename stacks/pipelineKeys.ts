import { Aws, RemovalPolicy, type Stack } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import * as kms from "aws-cdk-lib/aws-kms";

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
 * CloudWatch alarm actions publish to the KMS-encrypted notification topic: the State key must let CloudWatch use
 * it (this account's alarms only), or alarm notifications are dropped silently. The statement lands in the State
 * stack's key policy and refers to nothing of the Pipeline's, so no dependency runs back.
 * @example allowAlarmsToPublish(state.key);
 */
export function allowAlarmsToPublish(topicKey: kms.IKey): void {
  topicKey.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: "AlarmsToNotificationTopic",
      principals: [new iam.ServicePrincipal("cloudwatch.amazonaws.com")],
      actions: ["kms:GenerateDataKey*", "kms:Decrypt"],
      resources: ["*"],
      conditions: { StringEquals: { "aws:SourceAccount": Aws.ACCOUNT_ID } },
    }),
  );
}
