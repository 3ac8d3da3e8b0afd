import { createAppAuth } from "@octokit/auth-app";
import { retry } from "@octokit/plugin-retry";
import { Octokit } from "@octokit/rest";
import type { Log } from "../../core/index.ts";
import type { GitHubCredentials } from "./GitHubCredentials.ts";
import { rateLimitHook } from "./rateLimitHook.ts";

/** How the GitHub client connects and retries. */
export interface GitHubClientOptions {
  /** API root: https://api.github.com (default), `https://HOST/api/v3` for GitHub Enterprise Server, a loopback server in tests. */
  readonly baseUrl?: string;
  readonly userAgent?: string;
  /** Retries of 5xx and network failures (plugin-retry), waiting retryBaseMs × attempt². */
  readonly retries?: number;
  readonly retryBaseMs?: number;
  /** Longest rate-limit wait slept in process; a longer one fails with GitHubRateLimitError. */
  readonly maxRateLimitWaitSeconds?: number;
  /** Rate-limit retries per request. */
  readonly rateLimitRetries?: number;
  /** Per-request timeout. */
  readonly timeoutMs?: number;
  /** Where Octokit's request log goes (debug level); silent by default. */
  readonly log?: Log;
  /** Injected for tests. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => Date;
}

/** The defaults of {@link GitHubClientOptions}. */
export const gitHubClientDefaults = {
  baseUrl: "https://api.github.com",
  userAgent: "portcullis",
  retries: 3,
  retryBaseMs: 1000,
  maxRateLimitWaitSeconds: 20,
  rateLimitRetries: 2,
  timeoutMs: 10_000,
} as const;

/** 429 joins GitHub's own do-not-retry list: the rate-limit hook handles it with `retry-after`. */
const DO_NOT_RETRY = [400, 401, 403, 404, 410, 422, 429, 451];
const RetryingOctokit = Octokit.plugin(retry);

/** An Octokit client with the retry plugin and the rate-limit hook. */
export type PortcullisOctokit = InstanceType<typeof RetryingOctokit>;

/**
 * Builds the Octokit client for a set of credentials: App auth (JWT → installation token, cached by
 * auth-app until shortly before it expires, so keep the client for the life of the process) or a token;
 * plugin-retry for 5xx and network errors; secondary/primary rate limits waited out per `retry-after`.
 * @example const octokit = createOctokit({ kind: "app", appId, installationId, privateKey }, { baseUrl });
 */
export function createOctokit(
  credentials: GitHubCredentials,
  options: GitHubClientOptions = {},
): PortcullisOctokit {
  const o = { ...gitHubClientDefaults, ...definedOnly(options) };
  const auth =
    credentials.kind === "app"
      ? {
          authStrategy: createAppAuth,
          auth: {
            appId: credentials.appId,
            privateKey: credentials.privateKey,
            installationId: credentials.installationId,
          },
        }
      : { auth: credentials.token };
  const octokit = new RetryingOctokit({
    ...auth,
    baseUrl: o.baseUrl.replace(/\/+$/, ""),
    userAgent: o.userAgent,
    retry: { retries: o.retries, retryAfterBaseValue: o.retryBaseMs, doNotRetry: DO_NOT_RETRY },
    request: { fetch: fetchWithTimeout(o.timeoutMs) },
    log: octokitLog(options.log),
  });
  octokit.hook.wrap(
    "request",
    rateLimitHook({
      maxWaitSeconds: o.maxRateLimitWaitSeconds,
      retries: o.rateLimitRetries,
      sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
      now: options.now ?? (() => new Date()),
      ...(options.log && { log: options.log }),
    }),
  );
  return octokit;
}

/** `fetch` that gives up after `ms` unless the caller passed its own signal. */
function fetchWithTimeout(ms: number): typeof fetch {
  return (input, init) => fetch(input, { ...init, signal: init?.signal ?? AbortSignal.timeout(ms) });
}

function octokitLog(log: Log | undefined) {
  const debug = (message: string) => log?.debug(`github: ${message}`);
  return { debug, info: debug, warn: (message: string) => log?.warn(`github: ${message}`), error: debug };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
