import { Agent as HttpAgent, type IncomingMessage, type OutgoingHttpHeaders } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import { Readable } from "node:stream";
import { anonymous, type CredentialProvider } from "../credentials/Credentials.ts";
import { registryErrorFrom } from "../errors.ts";
import { isLoopbackHost, registryEndpoint } from "../name/referenceHost.ts";
import { Authenticator } from "./Authenticator.ts";
import { checkResponse } from "./checkResponse.ts";
import { drain, MAX_MANIFEST_BYTES, readBody } from "./readBody.ts";
import { redactUrl } from "./redactUrl.ts";
import { sendHttp } from "./sendHttp.ts";
import { type RetryHooks, type RetryOptions, retryDefaults, withRetries } from "./withRetries.ts";

/** How a {@link Transport} talks to one registry. */
export interface TransportOptions {
  /** Plain HTTP. Loopback registries (localhost, 127.0.0.0/8, [::1]) always use it. */
  readonly insecure: boolean;
  readonly credentials: CredentialProvider;
  readonly retry: RetryOptions;
  /** Idle-socket timeout for a request (waiting for headers or for the next body bytes). */
  readonly timeoutMs: number;
  /** Keep-alive sockets per host; copies run several blobs at once. */
  readonly maxSockets: number;
  readonly userAgent: string;
  readonly onRetry?: RetryHooks["onRetry"];
}

/** Transport defaults: TLS, anonymous, 5 retries, 60 s idle timeout, 16 keep-alive sockets. */
export const transportDefaults: TransportOptions = {
  insecure: false,
  credentials: anonymous,
  retry: retryDefaults,
  timeoutMs: 60_000,
  maxSockets: 16,
  userAgent: "portcullis",
};

/** One request through the transport. */
export interface TransportRequest {
  readonly method: string;
  /** A path under the registry (`/v2/…`) or an absolute URL (an upload `Location`). */
  readonly target: string;
  readonly headers?: OutgoingHttpHeaders;
  /** A buffer (retried freely) or a stream (sent once: callers retry the whole operation). */
  readonly body?: Buffer | Readable;
  /** Token scopes the request needs, e.g. `repository:app:pull,push`. */
  readonly scope: readonly string[];
  /** Statuses that mean success; anything else becomes a RegistryError in `checkResponse`. */
  readonly expect: readonly number[];
  /** Progress for a streamed body: bytes as the socket takes them. */
  readonly onBytes?: (n: number) => void;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;

/**
 * HTTP/1.1 to one registry: keep-alive sockets, authorization, redirects for reads, and retries with
 * backoff for requests whose body can be sent again.
 * @example const transport = new Transport("127.0.0.1:5000"); await transport.request({ method: "GET", target: "/v2/", scope: [], expect: [200] })
 */
export class Transport {
  readonly registry: string;
  readonly baseUrl: URL;
  readonly options: TransportOptions;
  readonly #agents: { readonly http: HttpAgent; readonly https: HttpsAgent };
  readonly #auth: Authenticator;
  #ready: Promise<void> | undefined;

  constructor(registry: string, options: Partial<TransportOptions> = {}) {
    this.registry = registry;
    this.options = { ...transportDefaults, ...options };
    const plain = this.options.insecure || isLoopbackHost(registry);
    this.baseUrl = new URL(`${plain ? "http" : "https"}://${registryEndpoint(registry)}`);
    const agentOptions = {
      keepAlive: true,
      maxSockets: this.options.maxSockets,
      scheduling: "lifo" as const,
    };
    this.#agents = { http: new HttpAgent(agentOptions), https: new HttpsAgent(agentOptions) };
    // The token realm is often another host (Docker Hub's auth.docker.io), but never gets the
    // credentials over plain HTTP when the registry itself is HTTPS.
    this.#auth = new Authenticator(registry, this.options.credentials, (url, authorization) => {
      const downgrade = url.protocol === "http:" && this.baseUrl.protocol === "https:";
      return this.#send("GET", url, authorization && !downgrade ? { authorization } : {});
    });
  }

  /** Sends a request; resolves with a response whose status is one of `expect`. */
  request(req: TransportRequest): Promise<IncomingMessage> {
    if (req.body instanceof Readable) return this.#attempt(req);
    const hooks = this.options.onRetry ? { onRetry: this.options.onRetry } : {};
    return withRetries(() => this.#attempt(req), this.options.retry, hooks);
  }

  /** Like {@link request}, reading the whole (small) body inside the same retried attempt. */
  requestBuffer(
    req: TransportRequest,
    limit = MAX_MANIFEST_BYTES,
  ): Promise<{ res: IncomingMessage; body: Buffer }> {
    const hooks = this.options.onRetry ? { onRetry: this.options.onRetry } : {};
    return withRetries(
      async () => {
        const res = await this.#attempt(req);
        try {
          return { res, body: await readBody(res, limit) };
        } catch (error) {
          throw registryErrorFrom(
            error,
            `${req.method} ${redactUrl(new URL(req.target, this.baseUrl))}: reading the body`,
          );
        }
      },
      this.options.retry,
      hooks,
    );
  }

  /** Closes the keep-alive sockets. */
  close(): void {
    this.#agents.http.destroy();
    this.#agents.https.destroy();
  }

  async #attempt(req: TransportRequest): Promise<IncomingMessage> {
    const streamed = req.body instanceof Readable;
    await this.#ping();
    let url = new URL(req.target, this.baseUrl);
    const headers = await this.#headers(req, url);
    let res = await this.#send(req.method, url, headers, req.body, req.onBytes);
    if (res.statusCode === 401 && !streamed && sameOrigin(url, this.baseUrl)) {
      const sent = headers.authorization as string | undefined;
      const retry = await this.#auth.challengeReceived(res.headers["www-authenticate"], req.scope, sent);
      if (retry) {
        await drain(res);
        res = await this.#send(req.method, url, await this.#headers(req, url), req.body, req.onBytes);
      }
    }
    for (let hops = 0; isRedirect(req, res) && hops < MAX_REDIRECTS; hops++) {
      url = new URL(res.headers.location ?? "", url);
      await drain(res);
      res = await this.#send(req.method, url, await this.#headers(req, url));
    }
    return checkResponse(res, { method: req.method, url, expect: req.expect });
  }

  /**
   * GET /v2/ once, before anything else, to learn the registry's challenge: requests are then
   * authorized up front, so concurrent first requests do not each get a 401 and a streamed body is
   * never refused after it was sent. https://github.com/opencontainers/distribution-spec/blob/main/spec.md#determining-support
   */
  #ping(): Promise<void> {
    this.#ready ??= this.#sendPing().catch((error: unknown) => {
      this.#ready = undefined;
      throw error;
    });
    return this.#ready;
  }

  async #sendPing(): Promise<void> {
    const url = new URL("/v2/", this.baseUrl);
    const res = await checkResponse(await this.#send("GET", url, { "user-agent": this.options.userAgent }), {
      method: "GET",
      url,
      expect: [200, 401],
    });
    await drain(res);
    if (res.statusCode === 401) await this.#auth.challengeReceived(res.headers["www-authenticate"], []);
  }

  /**
   * The request's headers, with Authorization only when `url` is the registry's own origin (scheme,
   * host and port): an upload Location or a redirect pointing elsewhere, or from https to http, never
   * receives the registry's password or token.
   */
  async #headers(req: TransportRequest, url: URL): Promise<OutgoingHttpHeaders> {
    const authorization = sameOrigin(url, this.baseUrl)
      ? await this.#auth.authorization(req.scope)
      : undefined;
    return {
      "user-agent": this.options.userAgent,
      ...req.headers,
      ...(authorization ? { authorization } : {}),
    };
  }

  #send(
    method: string,
    url: URL,
    headers: OutgoingHttpHeaders,
    body?: Buffer | Readable,
    onBytes?: (n: number) => void,
  ): Promise<IncomingMessage> {
    const agent = url.protocol === "https:" ? this.#agents.https : this.#agents.http;
    return sendHttp({ method, url, headers, body, agent, timeoutMs: this.options.timeoutMs, onBytes });
  }
}

function isRedirect(req: TransportRequest, res: IncomingMessage): boolean {
  const status = res.statusCode ?? 0;
  return (
    (req.method === "GET" || req.method === "HEAD") && REDIRECTS.has(status) && !req.expect.includes(status)
  );
}

/** Same scheme, host and port (URL's origin normalises default ports and host case). */
function sameOrigin(a: URL, b: URL): boolean {
  return a.protocol === b.protocol && a.origin === b.origin;
}
