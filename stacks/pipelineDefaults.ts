import { Duration } from "aws-cdk-lib";

/**
 * How each Portcullis function runs and what it is given, decided once here: the Pipeline stack reads these,
 * the README's Operations section explains them, the tests assert them.
 *
 * Retries happen in two layers, each for its own kind of failure:
 * - EventBridge retries *delivery*: throttled or failed Invoke calls, before Lambda has accepted the event.
 *   Rarely needed; given up after {@link pipelineDefaults.delivery}, into the function's dead-letter queue.
 *   SNS, delivering to notify, follows AWS's fixed policy for AWS-managed endpoints instead (100,015 attempts
 *   over 23 days; Amazon SNS Developer Guide, "Amazon SNS message delivery retries"), then the same queue.
 * - Lambda's asynchronous invocation retries *the function*: an invocation that threw (an AWS API throttled,
 *   a registry briefly down) runs again twice with backoff, then the event and the error go to the same
 *   dead-letter queue as an on-failure destination record. Handlers are idempotent, so a retry or a redrive
 *   never applies anything twice; a refused (invalid) event fails the same way every time and lands there too.
 */
export const pipelineDefaults = {
  /** Service name on every log line and the `service` dimension of every metric (Powertools). */
  serviceName: "portcullis",
  /** CloudWatch namespace the handlers emit EMF metrics to (src/lambda/powertools.ts). */
  metricsNamespace: "Portcullis",
  /** The reconcile function's tick: lost scan events are found and overdue candidates failed this often. */
  reconcileEvery: Duration.minutes(5),
  /** EventBridge target delivery retries, before Lambda accepted the event (SNS's are not configurable). */
  delivery: { retryAttempts: 8, maxEventAge: Duration.hours(2) },
  /** Lambda asynchronous-invocation retries of a failed invocation (throttled events wait up to maxEventAge). */
  invocation: { retryAttempts: 2, maxEventAge: Duration.hours(6) },
  /** Dead letters are kept this long: the longest SQS allows, time to investigate and redrive. */
  deadLetterRetention: Duration.days(14),
  /** Function log retention. */
  logRetentionDays: 30,
  /** Alarms look at this window: any function error or dead letter in it raises the alarm. */
  alarmPeriod: Duration.minutes(5),
} as const;

/** The functions of the pipeline, by entry file in functions/. */
export type PipelineFunctionName = "register" | "gate" | "reconcile" | "replicate" | "report" | "notify";

/**
 * Per-function sizing: memory (MB) and timeout. No function reserves concurrency unless the configuration says
 * so (`functions.reservedConcurrency`): a reservation is taken from the account's regional limit, and accounts
 * whose limit is 10 (common for new ones) can reserve nothing. Where it is set it also caps the function: events
 * beyond the cap wait in Lambda's queue (up to the invocation maxEventAge); nothing is lost.
 */
export interface FunctionSizing {
  readonly memorySize: number;
  readonly timeout: Duration;
}

/** Sizing of each function. */
export const functionSizing: Readonly<Record<PipelineFunctionName, FunctionSizing>> = {
  register: { memorySize: 512, timeout: Duration.minutes(1) },
  gate: { memorySize: 512, timeout: Duration.minutes(2) },
  reconcile: { memorySize: 512, timeout: Duration.minutes(5) },
  replicate: { memorySize: 1024, timeout: Duration.minutes(15) },
  report: { memorySize: 512, timeout: Duration.minutes(1) },
  notify: { memorySize: 256, timeout: Duration.minutes(1) },
};
