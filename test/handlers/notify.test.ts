import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ValidationError } from "../../src/core/index.ts";
import {
  createNotifyHandler,
  type NotifyHandlerDeps,
} from "../../src/handlers/notify/createNotifyHandler.ts";
import { createSlackWebhook, SlackPostError } from "../../src/notify/index.ts";
import type { CandidateStore } from "../../src/store/index.ts";
import { promotion, rejection, replicationFailure, snsEvent, TOPIC } from "../notify/notifications.ts";
import { freshStore, realClock, recordingLog, recordingMetrics } from "../report/recordingPorts.ts";
import { type SlackServer, startSlackServer } from "../support/slackServer.ts";
import { type DynaliteHandle, startDynalite } from "../support/startDynalite.ts";

let dynalite: DynaliteHandle;
let slack: SlackServer;
let store: CandidateStore;
let log: ReturnType<typeof recordingLog>;
let metrics: ReturnType<typeof recordingMetrics>;

beforeAll(async () => {
  dynalite = await startDynalite();
});
afterAll(() => dynalite.stop());
beforeEach(async () => {
  slack = await startSlackServer({ delayMs: 20 });
  store = await freshStore(dynalite);
  log = recordingLog();
  metrics = recordingMetrics();
});
afterEach(async () => {
  await slack.stop();
  expect(log.text()).not.toContain(slack.secret);
});

/** The handler as the Lambda wires it: the webhook URL comes from a (secret) loader on each invocation. */
function handler(overrides: Partial<NotifyHandlerDeps> = {}) {
  return createNotifyHandler({
    store,
    slack: async () => createSlackWebhook(slack.url, { retries: 0 }),
    clock: realClock,
    log,
    metrics,
    settings: { topicArn: TOPIC, repositories: ["team/app"] },
    options: { busyWaitMs: 25, busyRetries: 40 },
    ...overrides,
  });
}

describe("notify handler", () => {
  it("sends one Slack message per notification, and none for a redelivery", async () => {
    const notification = rejection();
    const first = await handler()(snsEvent(notification));
    const again = await handler()(snsEvent(notification));
    expect(first).toEqual([{ id: notification.id, kind: "sent" }]);
    expect(again).toEqual([{ id: notification.id, kind: "duplicate" }]);
    expect(slack.messages).toHaveLength(1);
    expect(slack.messages[0]?.text).toMatch(/^Rejected: team\/app/);
  });

  it("sends once when three invocations race on the same notification", async () => {
    const notification = promotion();
    const results = await Promise.all([1, 2, 3].map(() => handler()(snsEvent(notification))));
    expect(slack.messages).toHaveLength(1);
    expect(
      results
        .flat()
        .map((r) => r.kind)
        .sort(),
    ).toEqual(["duplicate", "duplicate", "sent"]);
  });

  it("sends a message per outcome of the same candidate", async () => {
    await handler()(snsEvent(rejection(), promotion(), replicationFailure()));
    expect(slack.messages.map((m) => String(m.text).split(":")[0])).toEqual([
      "Rejected",
      "Promoted",
      "Replication failed",
    ]);
  });

  it("gives the claim up when Slack fails, so the retry sends it exactly once", async () => {
    const notification = replicationFailure();
    slack.failNext({ status: 500, body: "server_error" });
    const error = await handler()(snsEvent(notification)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SlackPostError);
    expect(slack.messages).toHaveLength(0);
    expect(await handler()(snsEvent(notification))).toEqual([{ id: notification.id, kind: "sent" }]);
    expect(await handler()(snsEvent(notification))).toEqual([{ id: notification.id, kind: "duplicate" }]);
    expect(slack.messages).toHaveLength(1);
    expect(metrics.counts.get("SlackPostFailed")).toBe(1);
  });

  it("never puts the webhook URL in logs or errors, even when the webhook is wrong", async () => {
    const wrong = handler({ slack: async () => createSlackWebhook(`${slack.url}-revoked`, { retries: 0 }) });
    const error = await wrong(snsEvent(rejection())).catch((e: unknown) => e);
    expect(String(error)).toBe("SlackPostError: Slack webhook did not take the message: 404 no_service");
    expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain(slack.secret);
    expect(log.lines.some((l) => l.level === "error")).toBe(true);
  });

  it("only renders when Slack is not configured", async () => {
    const [result] = await handler({ slack: async () => undefined })(snsEvent(rejection()));
    expect(result).toMatchObject({ kind: "rendered", message: { text: expect.stringMatching(/^Rejected/) } });
    expect(slack.posts()).toBe(0);
  });

  it("refuses a record from another topic or about another repository, sending nothing", async () => {
    const other = { ...rejection(), attributes: { repository: "x" } };
    const event = snsEvent(other) as { Records: { Sns: { TopicArn: string } }[] };
    const [record] = event.Records;
    if (record) record.Sns.TopicArn = "arn:aws:sns:us-east-1:999999999999:elsewhere";
    expect(await handler()(event)).toMatchObject([{ kind: "refused", field: "TopicArn" }]);
    expect(
      await handler({ settings: { repositories: ["payments/api"] } })(snsEvent(rejection())),
    ).toMatchObject([{ kind: "refused", field: "candidate.repository", value: "team/app" }]);
    expect(slack.posts()).toBe(0);
  });

  it("throws a ValidationError naming the field for a record it cannot read, before sending anything", async () => {
    const event = snsEvent(rejection(), { ...promotion(), body: { kind: "image-promoted" } });
    const error = await handler()(event).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((i) => i.field)).toContain(
      "Records[1].Sns.Message.candidate",
    );
    expect(slack.posts()).toBe(0);
  });
});
