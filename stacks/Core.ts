import { type StackContext, Topic } from "sst/constructs";

/** Placeholder core stack: the SNS topic every other stack will publish to. */
export function Core({ stack }: StackContext) {
  const topic = new Topic(stack, "Events");
  stack.addOutputs({ TopicArn: topic.topicArn });
  return { topic };
}
