import type { CfnTemplate } from "../stacks/synthPortcullis.ts";
import type { DeployedPolicies } from "./deployedPolicies.ts";
import { ACCOUNT, PARTITION } from "./deployment.ts";

/** One request an AWS service makes on the deployment's behalf, and why it must succeed. */
export interface ServiceRequest {
  /** `cloudwatch.amazonaws.com`, `events.amazonaws.com`, `sns.amazonaws.com`. */
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  /** What AWS sets: the source (alarm, rule, topic) and its account. */
  readonly context: Readonly<Record<string, string>>;
  /** e.g. `GateErrorsAlarm → notifications topic`. */
  readonly why: string;
}

type Props = Record<string, unknown>;

/**
 * The requests AWS services make on the deployment's behalf, read from the synthesized Pipeline stack: CloudWatch
 * publishing each alarm's actions to the topic (and using the topic's key), EventBridge invoking each rule's
 * target and writing its dead-letter queue (and using that queue's key), SNS invoking each Lambda subscription
 * and writing its dead-letter queue.
 */
export function serviceRequests(deployed: DeployedPolicies, pipeline: CfnTemplate): ServiceRequest[] {
  const region = deployed.region;
  const requests: ServiceRequest[] = [];
  const resolve = (value: unknown) => deployed.resolve("Pipeline", value);
  const source = (arn: string) => ({ "aws:SourceArn": arn, "aws:SourceAccount": ACCOUNT });
  /** A write to an SQS queue or SNS topic, with the data key its KMS key must give. */
  const write = (
    principal: string,
    action: string,
    target: string,
    context: Record<string, string>,
    why: string,
  ) => {
    requests.push({ principal, action, resource: target, context, why });
    const key = deployed.keyOf(target);
    if (key !== undefined)
      for (const kms of ["kms:GenerateDataKey", "kms:Decrypt"])
        requests.push({ principal, action: kms, resource: key, context, why: `${why} (its KMS key)` });
  };
  for (const [id, resource] of Object.entries(pipeline.Resources)) {
    const props = (resource.Properties ?? {}) as Props;
    if (resource.Type === "AWS::CloudWatch::Alarm") {
      const alarm = `arn:${PARTITION}:cloudwatch:${region}:${ACCOUNT}:alarm:${id}`;
      const actions = [
        ...((props.AlarmActions ?? []) as unknown[]),
        ...((props.OKActions ?? []) as unknown[]),
      ];
      for (const target of new Set(actions.map((a) => String(resolve(a)))))
        write("cloudwatch.amazonaws.com", "sns:Publish", target, source(alarm), `alarm ${id} → ${target}`);
    }
    if (resource.Type === "AWS::Events::Rule") {
      const rule = deployed.arnOf("Pipeline", id);
      for (const target of (props.Targets ?? []) as Props[]) {
        const fn = String(resolve(target.Arn));
        requests.push({
          principal: "events.amazonaws.com",
          action: "lambda:InvokeFunction",
          resource: fn,
          context: source(rule),
          why: `rule ${id} → ${fn}`,
        });
        const dlq = (target.DeadLetterConfig as Props | undefined)?.Arn;
        if (dlq !== undefined)
          write(
            "events.amazonaws.com",
            "sqs:SendMessage",
            String(resolve(dlq)),
            source(rule),
            `rule ${id} → its dead-letter queue`,
          );
      }
    }
    if (resource.Type === "AWS::SNS::Subscription" && props.Protocol === "lambda") {
      const topic = String(resolve(props.TopicArn));
      const fn = String(resolve(props.Endpoint));
      requests.push({
        principal: "sns.amazonaws.com",
        action: "lambda:InvokeFunction",
        resource: fn,
        context: source(topic),
        why: `subscription ${id} → ${fn}`,
      });
      const dlq = (props.RedrivePolicy as Props | undefined)?.deadLetterTargetArn;
      if (dlq !== undefined)
        write(
          "sns.amazonaws.com",
          "sqs:SendMessage",
          String(resolve(dlq)),
          source(topic),
          `subscription ${id} → its dead-letter queue`,
        );
    }
  }
  return requests;
}
