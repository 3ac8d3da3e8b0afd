import { RemovalPolicy } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import * as actions from "aws-cdk-lib/aws-cloudwatch-actions";
import type * as events from "aws-cdk-lib/aws-events";
import * as targets from "aws-cdk-lib/aws-events-targets";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as kms from "aws-cdk-lib/aws-kms";
import * as destinations from "aws-cdk-lib/aws-lambda-destinations";
import * as logs from "aws-cdk-lib/aws-logs";
import type * as sns from "aws-cdk-lib/aws-sns";
import * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { type FunctionProps, Function as SstFunction } from "sst/constructs";
import { lambdaEsbuildOptions } from "../src/lambda/bundling.ts";
import { functionSizing, type PipelineFunctionName, pipelineDefaults } from "./pipelineDefaults.ts";

/** What a {@link PipelineFunction} is made from. */
export interface PipelineFunctionProps {
  /** The entry point `functions/<name>.ts`. */
  readonly name: PipelineFunctionName;
  readonly description: string;
  /** `PORTCULLIS_*` variables (see stacks/pipelineEnvironment.ts). */
  readonly environment: Readonly<Record<string, string>>;
  /** Files bundled beside the code (the gate policy). */
  readonly copyFiles?: FunctionProps["copyFiles"];
  /** Encrypts the dead-letter queue. */
  readonly key: kms.IKey;
  /** Where the function's alarms go. */
  readonly alarmTopic: sns.ITopic;
  /** Concurrency reserved for (and capping) the function; none when absent (`functions.reservedConcurrency`). */
  readonly reservedConcurrency?: number;
}

/**
 * How SST bundles every function: src/lambda's `lambdaEsbuildOptions` (what bench:lambda measures) as SST's esbuild
 * overrides, with the props SST reads itself kept in step (ESM, split chunks, minified, no source maps). SST adds
 * `keepNames` (error class names survive minification) and builds with its own esbuild (0.18), whose option
 * types differ from the root esbuild's; the options are plain data both accept, hence the cast.
 */
export const pipelineBundling = {
  format: "esm",
  splitting: true,
  minify: true,
  sourcemap: false,
  esbuild: lambdaEsbuildOptions as unknown as NonNullable<FunctionProps["nodejs"]>["esbuild"],
} as const satisfies FunctionProps["nodejs"];

/**
 * One Portcullis function with the defaults every one shares: nodejs22.x on arm64, the measured bundling,
 * active tracing, its own role (no managed policies) and log group, and one encrypted dead-letter queue that
 * receives what either retry layer gave up on (see pipelineDefaults), alarmed with the function's errors.
 * Grants are added by the caller, one per port the function uses.
 * @example const gate = new PipelineFunction(stack, "Gate", { name: "gate", description, environment, key, alarmTopic });
 */
export class PipelineFunction extends Construct {
  readonly fn: SstFunction;
  readonly role: iam.Role;
  readonly deadLetters: sqs.Queue;
  readonly logGroup: logs.LogGroup;
  readonly alarms: readonly cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: PipelineFunctionProps) {
    super(scope, id);
    const sizing = functionSizing[props.name];
    this.deadLetters = new sqs.Queue(this, "DeadLetters", {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      enforceSSL: true,
      retentionPeriod: pipelineDefaults.deadLetterRetention,
    });
    this.logGroup = new logs.LogGroup(this, "Logs", {
      retention: pipelineDefaults.logRetentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new iam.Role(this, "Role", {
      assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com"),
      description: `Portcullis ${props.name} function`,
    });
    this.logGroup.grantWrite(this.role);
    // SST wants its constructs' ids unique in the stack, not only among siblings.
    this.fn = new SstFunction(this, `${id}Function`, {
      handler: `functions/${props.name}.handler`,
      description: props.description,
      runtime: "nodejs22.x",
      architecture: "arm_64",
      nodejs: pipelineBundling,
      tracing: "active",
      memorySize: sizing.memorySize,
      timeout: sizing.timeout.toSeconds(),
      ...(props.reservedConcurrency !== undefined && {
        reservedConcurrentExecutions: props.reservedConcurrency,
      }),
      environment: { POWERTOOLS_SERVICE_NAME: pipelineDefaults.serviceName, ...props.environment },
      ...(props.copyFiles !== undefined && { copyFiles: props.copyFiles }),
      role: this.role,
      logGroup: this.logGroup,
      retryAttempts: pipelineDefaults.invocation.retryAttempts,
      maxEventAge: pipelineDefaults.invocation.maxEventAge,
      onFailure: new destinations.SqsDestination(this.deadLetters),
    });
    this.alarms = [this.errorAlarm(props), this.deadLetterAlarm(props)];
  }

  /** An EventBridge target invoking this function, with delivery retries and the dead-letter queue. */
  target(): events.IRuleTarget {
    return new targets.LambdaFunction(this.fn, {
      deadLetterQueue: this.deadLetters,
      retryAttempts: pipelineDefaults.delivery.retryAttempts,
      maxEventAge: pipelineDefaults.delivery.maxEventAge,
    });
  }

  private errorAlarm(props: PipelineFunctionProps): cloudwatch.Alarm {
    const alarm = this.fn
      .metricErrors({ period: pipelineDefaults.alarmPeriod, statistic: "Sum" })
      .createAlarm(this, "ErrorsAlarm", {
        alarmDescription: `Portcullis ${props.name}: an invocation failed (it is retried; see the logs and ${props.name}'s dead letters)`,
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    alarm.addAlarmAction(new actions.SnsAction(props.alarmTopic));
    return alarm;
  }

  private deadLetterAlarm(props: PipelineFunctionProps): cloudwatch.Alarm {
    const alarm = this.deadLetters
      .metricApproximateNumberOfMessagesVisible({
        period: pipelineDefaults.alarmPeriod,
        statistic: "Maximum",
      })
      .createAlarm(this, "DeadLettersAlarm", {
        alarmDescription: `Portcullis ${props.name}: events are waiting in the dead-letter queue (README: Operations, redrive)`,
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    alarm.addAlarmAction(new actions.SnsAction(props.alarmTopic));
    alarm.addOkAction(new actions.SnsAction(props.alarmTopic));
    return alarm;
  }
}
