import { Duration } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import type { Construct } from "constructs";
import type { DecisionOutcome } from "../src/release/Candidate.ts";
import { type PipelineFunctionName, pipelineDefaults } from "./pipelineDefaults.ts";
import type { PipelineFunction } from "./pipelineFunction.ts";

/** Every outcome the handlers count under `Decisions` (dimension `outcome`). */
export const DECISION_OUTCOMES = [
  "passed",
  "failed",
  "timed-out",
] as const satisfies readonly DecisionOutcome[];

/** What {@link pipelineDashboard} shows. */
export interface PipelineDashboardProps {
  readonly dashboardName: string;
  readonly functions: ReadonlyMap<PipelineFunctionName, PipelineFunction>;
  readonly replicaRegions: readonly string[];
}

const PERIOD = Duration.minutes(5);

/**
 * A metric the handlers emit as EMF (src/handlers, src/lambda): namespace Portcullis, dimension `service` (the
 * Powertools service name every function sets) plus the metric's own dimensions.
 */
export function portcullisMetric(
  metricName: string,
  statistic: string,
  dimensions: Record<string, string> = {},
  label?: string,
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: pipelineDefaults.metricsNamespace,
    metricName,
    statistic,
    period: PERIOD,
    dimensionsMap: { service: pipelineDefaults.serviceName, ...dimensions },
    ...(label !== undefined && { label }),
  });
}

/**
 * The pipeline at a glance: decisions by outcome, promotion latency, replication bytes and failures per region,
 * dead letters per function, function errors and refused events, and the state of every alarm.
 * @example pipelineDashboard(stack, { dashboardName: "portcullis-prod", functions, replicaRegions })
 */
export function pipelineDashboard(scope: Construct, props: PipelineDashboardProps): cloudwatch.Dashboard {
  const functions = [...props.functions];
  const graph = (
    title: string,
    left: cloudwatch.IMetric[],
    extra: Partial<cloudwatch.GraphWidgetProps> = {},
  ) => new cloudwatch.GraphWidget({ title, left, width: 12, height: 6, ...extra });
  const perRegion = (metricName: string) =>
    props.replicaRegions.map((region) => portcullisMetric(metricName, "Sum", { region }, region));
  const dashboard = new cloudwatch.Dashboard(scope, "Dashboard", { dashboardName: props.dashboardName });
  dashboard.addWidgets(
    graph(
      "Decisions by outcome",
      DECISION_OUTCOMES.map((outcome) => portcullisMetric("Decisions", "Sum", { outcome }, outcome)),
      { stacked: true },
    ),
    graph("Promotion latency (registered → promoted, ms)", [
      portcullisMetric("PromotionLatency", "p50", {}, "p50"),
      portcullisMetric("PromotionLatency", "p90", {}, "p90"),
      portcullisMetric("PromotionLatency", "Maximum", {}, "max"),
    ]),
  );
  if (props.replicaRegions.length > 0)
    dashboard.addWidgets(
      graph("Replication bytes sent", perRegion("ReplicationBytes"), { stacked: true }),
      graph("Replication failures", perRegion("ReplicationFailures")),
    );
  dashboard.addWidgets(
    graph(
      "Dead letters (messages waiting)",
      functions.map(([name, fn]) =>
        fn.deadLetters.metricApproximateNumberOfMessagesVisible({
          period: PERIOD,
          statistic: "Maximum",
          label: name,
        }),
      ),
    ),
    graph(
      "Function errors",
      functions.map(([name, fn]) => fn.fn.metricErrors({ period: PERIOD, statistic: "Sum", label: name })),
      {
        right: [
          portcullisMetric("InvalidEvents", "Sum", {}, "invalid events (refused)"),
          portcullisMetric("HandlerErrors", "Sum", {}, "handler errors (retried)"),
        ],
      },
    ),
    new cloudwatch.AlarmStatusWidget({
      title: "Alarms",
      alarms: functions.flatMap(([, fn]) => fn.alarms),
      width: 24,
      height: 4,
    }),
  );
  return dashboard;
}
