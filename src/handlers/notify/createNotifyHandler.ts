import { createHash } from "node:crypto";
import type { Clock, Log, MetricsSink } from "../../core/index.ts";
import { ValidationError } from "../../core/index.ts";
import { renderSlackMessage, type SlackMessage, type SlackPoster } from "../../notify/index.ts";
import type { Candidate } from "../../release/index.ts";
import type { ReleaseStore } from "../../store/index.ts";
import { refuseOutOfScope } from "../edge/refuseOutOfScope.ts";
import { type ClaimWait, type RunOnceDeps, runOnce } from "../effects/runOnce.ts";
import { NotificationBusyError } from "./notifyErrors.ts";
import { type NotificationRecord, parseNotifyEvent } from "./notifyEvent.ts";

/** The store calls the notify handler makes (claims only). */
export type NotifyStore = Pick<ReleaseStore<Candidate>, "claimEffect" | "completeEffect" | "releaseEffect">;

/** Which notifications the handler accepts. */
export interface NotifySettings {
  /** Only records from this topic (when set); others are refused. */
  readonly topicArn?: string;
  /** Only notifications about these repositories (when set). */
  readonly repositories?: readonly string[];
  /** How long a claimed message is held before another invocation may send it. */
  readonly effectLeaseSeconds?: number;
}

/** How the handler renders and waits. */
export interface NotifyOptions {
  /** Blocking findings listed in a rejection at most. */
  readonly maxFindings: number;
  /** Claim attempts while another invocation sends the same notification, and the wait between them. */
  readonly busyRetries: number;
  readonly busyWaitMs: number;
  readonly sleep: (ms: number) => Promise<void>;
}

/** The ports the notify handler takes. */
export interface NotifyHandlerDeps {
  readonly store: NotifyStore;
  /**
   * The Slack webhook, resolved on every invocation (the URL is a secret: the loader fetches and caches it),
   * or `undefined` when Slack is not configured (the handler then only renders).
   */
  readonly slack: () => Promise<SlackPoster | undefined>;
  readonly clock: Clock;
  readonly log: Log;
  readonly metrics: MetricsSink;
  readonly settings?: NotifySettings;
  readonly options?: Partial<NotifyOptions>;
}

/** Defaults of {@link NotifyOptions} and the optional settings. */
export const notifyDefaults = {
  maxFindings: 5,
  busyRetries: 10,
  busyWaitMs: 500,
  sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
  effectLeaseSeconds: 60,
} as const;

/** What happened to one notification. */
export type NotifyOutcome =
  | { readonly id: string; readonly kind: "sent" }
  | { readonly id: string; readonly kind: "duplicate" }
  | { readonly id: string; readonly kind: "rendered"; readonly message: SlackMessage }
  | {
      readonly id: string;
      readonly kind: "refused";
      readonly field: string;
      readonly value: unknown;
      readonly reason: string;
    };

/**
 * Makes the Slack subscriber of the notification topic: for each SNS record, claims the notification (keyed
 * by its id, under the candidate) so one message goes out per candidate and outcome however often SNS or
 * Lambda retries, renders it as Block Kit and posts it; a failed post gives the claim up and throws, so the
 * retry sends it. The webhook URL never reaches logs or errors. An invalid record throws ValidationError
 * before anything is sent.
 * @example
 * const handler = createNotifyHandler({ store, slack: async () => createSlackWebhook(url), clock, log, metrics });
 * await handler(snsEvent); // => [{ id: "us-east-1/team/app@sha256:…#release-rejected", kind: "sent" }]
 */
export function createNotifyHandler(deps: NotifyHandlerDeps): (event: unknown) => Promise<NotifyOutcome[]> {
  const ctx = notifyContext(deps);
  return async function notify(event: unknown): Promise<NotifyOutcome[]> {
    const records = parseNotifyEvent(event);
    if (!records.ok) throw new ValidationError("notification event", records.error);
    const slack = await deps.slack();
    const outcomes: NotifyOutcome[] = [];
    for (const record of records.value) outcomes.push(await notifyOne(ctx, record, slack));
    return outcomes;
  };
}

/** The handler's ports with its options and the claims' lease resolved, once per factory call. */
interface NotifyContext {
  readonly deps: NotifyHandlerDeps;
  readonly options: NotifyOptions;
  readonly claims: RunOnceDeps;
}

function notifyContext(deps: NotifyHandlerDeps): NotifyContext {
  const effectLeaseSeconds = deps.settings?.effectLeaseSeconds ?? notifyDefaults.effectLeaseSeconds;
  return {
    deps,
    options: { ...notifyDefaults, ...deps.options },
    claims: { ...deps, settings: { effectLeaseSeconds } },
  };
}

/** One record: refused (out of scope), rendered only (no Slack), or claimed and posted once. */
async function notifyOne(
  ctx: NotifyContext,
  record: NotificationRecord,
  slack: SlackPoster | undefined,
): Promise<NotifyOutcome> {
  const { deps, options } = ctx;
  const refusal = refuse(deps.settings, record);
  if (refusal) {
    deps.log.warn("notify: notification refused", { id: record.id, ...refusal });
    return { id: record.id, kind: "refused", ...refusal };
  }
  const message = renderSlackMessage(record.message, { maxFindings: options.maxFindings });
  if (slack === undefined) return { id: record.id, kind: "rendered", message };
  const fields = { ...record.message.candidate, id: record.id, kind: record.message.kind };
  const run = await runOnce(
    ctx.claims,
    record.message.candidate,
    effectName(record.id),
    () => post(deps, slack, message, fields),
    { wait: waitFor(options, record) },
  );
  if (run.kind === "done") {
    deps.log.info("notify: already sent", fields);
    deps.metrics.count("SlackDuplicateSkipped");
    return { id: record.id, kind: "duplicate" };
  }
  deps.log.info("notify: sent to Slack", fields);
  deps.metrics.count("SlackMessageSent");
  return { id: record.id, kind: "sent" };
}

/** Waits while another invocation sends the same notification. */
function waitFor(options: NotifyOptions, record: NotificationRecord): ClaimWait {
  return {
    retries: options.busyRetries,
    waitMs: options.busyWaitMs,
    sleep: options.sleep,
    busy: (leaseUntil) => new NotificationBusyError(record.id, leaseUntil),
  };
}

/** Posts under the claim; a failure is logged and thrown (runOnce then gives the claim up for the retry). */
async function post(
  deps: NotifyHandlerDeps,
  slack: SlackPoster,
  message: SlackMessage,
  fields: Record<string, unknown>,
): Promise<{ sentAt: string }> {
  try {
    await slack.post(message);
  } catch (error) {
    deps.log.error("notify: Slack post failed; the claim is given up for a retry", {
      ...fields,
      error: String(error),
    });
    deps.metrics.count("SlackPostFailed");
    throw error;
  }
  return { sentAt: deps.clock.now().toISOString() };
}

/** Refuses a record from another topic or about a repository Portcullis does not gate. */
function refuse(
  settings: NotifySettings | undefined,
  record: NotificationRecord,
): { field: string; value: unknown; reason: string } | undefined {
  const { topicArn, repositories } = settings ?? {};
  if (topicArn !== undefined && record.topicArn !== topicArn)
    return {
      field: "TopicArn",
      value: record.topicArn,
      reason: `is not the notification topic (${topicArn})`,
    };
  const { repository } = record.message.candidate;
  return refuseOutOfScope({ repositories }, { repository }, { repository: "candidate.repository" });
}

/** The claim's name for a notification id (hashed when long: a DynamoDB sort key has room, but logs do not). */
function effectName(id: string): string {
  return id.length <= 200 ? `slack:${id}` : `slack:sha256:${createHash("sha256").update(id).digest("hex")}`;
}
