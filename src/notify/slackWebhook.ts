import { IncomingWebhook, IncomingWebhookHTTPError, IncomingWebhookRequestError } from "@slack/webhook";
import { clientPerSecret } from "../core/clientPerSecret.ts";
import { SlackPostError, SlackWebhookUrlError } from "./errors.ts";
import type { SlackMessage } from "./SlackMessage.ts";

/** Posts a Slack message. */
export interface SlackPoster {
  post(message: SlackMessage): Promise<void>;
}

/** How the webhook client behaves. */
export interface SlackWebhookOptions {
  /** Per-request timeout. */
  readonly timeoutMs?: number;
  /** Retries of 5xx and network failures within one post (the library's; 4xx and 429 are not retried). */
  readonly retries?: number;
  /** First retry wait; doubled each time. */
  readonly retryMinMs?: number;
}

/** Defaults of {@link SlackWebhookOptions}. */
export const slackWebhookDefaults = { timeoutMs: 5000, retries: 2, retryMinMs: 500 } as const;

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/**
 * A {@link SlackPoster} on an incoming webhook (@slack/webhook). The URL is a secret: it is kept private,
 * never logged, and left out of every error ({@link SlackPostError} carries only status and Slack's error
 * text). Only https URLs are accepted (http on loopback, for tests).
 * @example const slack = createSlackWebhook(await getSecret("portcullis/slack"), { retries: 2 });
 */
export function createSlackWebhook(url: string, options: SlackWebhookOptions = {}): SlackPoster {
  checkUrl(url);
  const o = { ...slackWebhookDefaults, ...definedOnly(options) };
  const webhook = new IncomingWebhook(url, {
    timeout: o.timeoutMs,
    retryConfig: { retries: o.retries, minTimeout: o.retryMinMs, factor: 2, randomize: false },
  });
  return new WebhookPoster(webhook);
}

/** Keeps the webhook (and so its URL) in a private field: nothing enumerates or serializes it. */
class WebhookPoster implements SlackPoster {
  readonly #webhook: IncomingWebhook;

  constructor(webhook: IncomingWebhook) {
    this.#webhook = webhook;
  }

  async post(message: SlackMessage): Promise<void> {
    try {
      await this.#webhook.send({ text: message.text, blocks: message.blocks as never });
    } catch (error) {
      throw toSlackError(error);
    }
  }
}

function toSlackError(error: unknown): SlackPostError {
  const original =
    (error as { original?: unknown; cause?: unknown }).original ?? (error as { cause?: unknown }).cause;
  const http =
    error instanceof IncomingWebhookHTTPError
      ? error
      : original instanceof IncomingWebhookHTTPError
        ? original
        : undefined;
  if (http) return new SlackPostError(http.statusCode, clipError(http.body));
  if (error instanceof IncomingWebhookRequestError)
    return new SlackPostError(0, undefined, causeCode(error.original));
  return new SlackPostError(0, undefined, causeCode(error));
}

/** A network error's code (ECONNREFUSED, ETIMEDOUT…) or name: never its message, which could name the URL. */
function causeCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && /^[A-Z_]+$/.test(code)) return code;
    if (current.name === "TimeoutError" || current.name === "AbortError") return "timeout";
    current = current.cause;
  }
  return undefined;
}

/** Slack's error bodies are short tokens (`no_service`); anything else is cut and stripped of URLs. */
function clipError(body: string | undefined): string | undefined {
  if (!body) return undefined;
  return body.replace(/https?:\/\/\S+/g, "[url]").slice(0, 100);
}

function checkUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new SlackWebhookUrlError("not a URL");
  }
  if (parsed.protocol === "https:") return;
  if (parsed.protocol === "http:" && LOOPBACK.has(parsed.hostname)) return;
  throw new SlackWebhookUrlError(`must be https (got ${parsed.protocol}//${parsed.hostname})`);
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * A poster provider for the notify handler: loads the webhook URL on every call (the loader caches, e.g.
 * Powertools `getSecret` with `maxAge`) and reuses one client while the URL stays the same. `undefined` from
 * the loader means "Slack not configured". The URL is compared by hash and never kept in the clear here.
 * @example const slack = slackWebhookProvider(async () => await getSecret(secretName, { maxAge: 300 }));
 */
export function slackWebhookProvider(
  load: () => Promise<string | undefined>,
  options: SlackWebhookOptions = {},
): () => Promise<SlackPoster | undefined> {
  return clientPerSecret(
    async () => (await load())?.trim() || undefined,
    (url) => createSlackWebhook(url, options),
    (url) => url,
  );
}
