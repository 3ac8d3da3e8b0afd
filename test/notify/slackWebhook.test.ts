import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createSlackWebhook,
  SlackPostError,
  SlackWebhookUrlError,
  slackWebhookProvider,
} from "../../src/notify/index.ts";
import { type SlackServer, startSlackServer } from "../support/slackServer.ts";

const MESSAGE = {
  text: "hello",
  blocks: [{ type: "section" as const, text: { type: "mrkdwn" as const, text: "*hi*" } }],
};
let slack: SlackServer;

beforeAll(async () => {
  slack = await startSlackServer();
});
afterAll(() => slack.stop());

describe("createSlackWebhook", () => {
  it("posts the text and blocks as JSON to the webhook", async () => {
    await createSlackWebhook(slack.url, { retries: 0 }).post(MESSAGE);
    expect(slack.messages.at(-1)).toEqual(MESSAGE);
  });

  it("retries a 5xx and then delivers once", async () => {
    const before = slack.messages.length;
    slack.failNext({ status: 503, times: 1 });
    await createSlackWebhook(slack.url, { retries: 2, retryMinMs: 1 }).post(MESSAGE);
    expect(slack.messages.length).toBe(before + 1);
  });

  it("names the status and Slack's error but never the URL when Slack refuses", async () => {
    const wrong = `${slack.url}x`;
    const error = await createSlackWebhook(wrong, { retries: 0 })
      .post(MESSAGE)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SlackPostError);
    expect((error as SlackPostError).message).toBe("Slack webhook did not take the message: 404 no_service");
    expect((error as SlackPostError).retryable).toBe(false);
    expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain(slack.secret);
    expect((error as Error).cause).toBeUndefined();
  });

  it("marks a rate limit as retryable", async () => {
    slack.failNext({ status: 429, body: "rate_limited", headers: { "retry-after": "1" } });
    const error = (await createSlackWebhook(slack.url, { retries: 0 })
      .post(MESSAGE)
      .catch((e: unknown) => e)) as SlackPostError;
    expect([error.status, error.slackError, error.retryable]).toEqual([429, "rate_limited", true]);
  });

  it("reports an unreachable webhook by code, without the URL", async () => {
    const closed = await startSlackServer();
    await closed.stop();
    const error = (await createSlackWebhook(closed.url, { retries: 0 })
      .post(MESSAGE)
      .catch((e: unknown) => e)) as SlackPostError;
    expect(error.message).toBe("Slack webhook did not take the message: no response (ECONNREFUSED)");
    expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain(closed.secret);
    expect(error.retryable).toBe(true);
  });

  it.each([
    ["http://hooks.slack.com/services/T/B/secret", "must be https (got http://hooks.slack.com)"],
    ["not a url", "not a URL"],
    ["file:///etc/passwd", "must be https (got file://)"],
  ])("refuses %s without echoing it", (url, reason) => {
    expect(() => createSlackWebhook(url)).toThrow(new SlackWebhookUrlError(reason));
  });

  it("keeps the URL out of the poster object", () => {
    const poster = createSlackWebhook(slack.url);
    expect(JSON.stringify(poster)).not.toContain(slack.secret);
    expect(Object.values(poster).join(" ")).not.toContain(slack.secret);
  });
});

describe("slackWebhookProvider", () => {
  it("reuses the poster while the URL stays the same, and says 'not configured' without one", async () => {
    let url: string | undefined = slack.url;
    const provider = slackWebhookProvider(async () => url);
    const first = await provider();
    expect(await provider()).toBe(first);
    url = `${slack.url}?rotated=1`;
    expect(await provider()).not.toBe(first);
    url = undefined;
    expect(await provider()).toBeUndefined();
  });
});
