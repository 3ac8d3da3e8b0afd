import * as events from "aws-cdk-lib/aws-events";
import * as sns from "aws-cdk-lib/aws-sns";
import * as subscriptions from "aws-cdk-lib/aws-sns-subscriptions";
import type { Construct } from "constructs";
import type { RulePatterns } from "../src/events/rulePatterns.ts";
import { toCdkEventPattern } from "../src/events/toCdkEventPattern.ts";
import { type PipelineFunctionName, pipelineDefaults } from "./pipelineDefaults.ts";
import type { PipelineFunction } from "./pipelineFunction.ts";

/** One EventBridge rule: a named pattern of src/events' rulePatterns, the bus it listens on, the function. */
export interface RuleSubscription {
  readonly pattern: keyof RulePatterns;
  /** AWS services publish to the account's default bus; Portcullis publishes to its own bus (State stack). */
  readonly bus: "default" | "portcullis";
  readonly target: PipelineFunctionName;
}

/**
 * Which events invoke which function, as src/local/pipeline/wirePipeline subscribes the same handlers: one rule
 * per pattern, so every deployed pattern is exactly one of rulePatterns()'. The report function takes every
 * Portcullis event and decides itself which ones it shows (src/handlers/report/reportEvent REPORTED_DETAIL_TYPES), so
 * that list lives in one place.
 */
export const RULE_SUBSCRIPTIONS: readonly RuleSubscription[] = [
  { pattern: "register", bus: "default", target: "register" },
  { pattern: "gate", bus: "default", target: "gate" },
  { pattern: "findingChanged", bus: "default", target: "reconcile" },
  { pattern: "build", bus: "default", target: "report" },
  { pattern: "promoted", bus: "portcullis", target: "replicate" },
  { pattern: "portcullis", bus: "portcullis", target: "report" },
];

/** What {@link addPipelineRules} wires. */
export interface PipelineRulesProps {
  readonly patterns: RulePatterns;
  /** The Portcullis bus. */
  readonly bus: events.IEventBus;
  /** The deployed functions; a subscription whose function is not deployed is skipped. */
  readonly functions: ReadonlyMap<PipelineFunctionName, PipelineFunction>;
  /** Subscriptions left out (e.g. Inspector findings when scanning is basic: none would ever arrive). */
  readonly skip?: ReadonlySet<keyof RulePatterns>;
}

/**
 * Creates the rules of {@link RULE_SUBSCRIPTIONS} and the reconcile schedule, each target with delivery retries
 * and the function's dead-letter queue (PipelineFunction.target).
 * @example addPipelineRules(stack, { patterns: rulePatterns({ repositories }), bus: state.bus, functions })
 */
export function addPipelineRules(scope: Construct, props: PipelineRulesProps): events.Rule[] {
  const rules: events.Rule[] = [];
  for (const { pattern, bus, target } of RULE_SUBSCRIPTIONS) {
    const fn = props.functions.get(target);
    if (fn === undefined || props.skip?.has(pattern)) continue;
    const rule = new events.Rule(scope, `Rule-${pattern}-${target}`, {
      description: `Portcullis: ${pattern} events → the ${target} function`,
      ...(bus === "portcullis" && { eventBus: props.bus }),
      eventPattern: toCdkEventPattern(props.patterns[pattern]),
    });
    rule.addTarget(fn.target());
    rules.push(rule);
  }
  const reconcile = props.functions.get("reconcile");
  if (reconcile !== undefined) {
    const schedule = new events.Rule(scope, "ReconcileSchedule", {
      description:
        "Portcullis: the reconcile sweep (lost scan events, overdue candidates, unconfirmed effects)",
      schedule: events.Schedule.rate(pipelineDefaults.reconcileEvery),
    });
    schedule.addTarget(reconcile.target());
    rules.push(schedule);
  }
  return rules;
}

/**
 * Subscribes the notify function to the notification topic, with its dead-letter queue for what SNS cannot
 * deliver. The filter lets through Portcullis notifications only (they carry a `repository` attribute, one of
 * the configured repositories); alarm messages on the same topic go to the other subscribers.
 * @example subscribeToTopic(state.topic, functions.get("notify"), ["team/app"])
 */
export function subscribeToTopic(topic: sns.ITopic, notify: PipelineFunction, repositories: string[]): void {
  topic.addSubscription(
    new subscriptions.LambdaSubscription(notify.fn, {
      deadLetterQueue: notify.deadLetters,
      filterPolicy: { repository: sns.SubscriptionFilter.stringFilter({ allowlist: repositories }) },
    }),
  );
}
