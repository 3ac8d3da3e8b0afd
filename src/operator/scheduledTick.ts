import { randomUUID } from "node:crypto";

/**
 * The event the reconcile schedule sends (an EventBridge scheduled-rule event), for one sweep now: what
 * `portcullis reconcile --now` invokes the function with instead of a hand-written JSON payload.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-run-lambda-schedule.html
 * @example scheduledTick({ account: "123456789012", region: "us-east-1", now: new Date() })
 */
export function scheduledTick(options: { account: string; region: string; now: Date; id?: string }) {
  return {
    version: "0",
    id: options.id ?? `manual-${randomUUID()}`,
    "detail-type": "Scheduled Event",
    source: "aws.events",
    account: options.account,
    time: options.now.toISOString().replace(/\.\d{3}Z$/, "Z"),
    region: options.region,
    resources: [],
    detail: {},
  };
}
