import { AsyncResource } from "node:async_hooks";
import {
  type Agent,
  type ClientRequest,
  request as httpRequest,
  type IncomingMessage,
  type OutgoingHttpHeaders,
} from "node:http";
import { request as httpsRequest } from "node:https";
import { Readable } from "node:stream";
import { RegistryError } from "../errors.ts";
import { redactUrl } from "./redactUrl.ts";

/** One HTTP exchange, exactly as sent (no auth, no retries: see `Transport`). */
export interface HttpExchange {
  readonly method: string;
  readonly url: URL;
  readonly headers: OutgoingHttpHeaders;
  /** A small body sent at once, or a stream piped with backpressure. */
  readonly body?: Buffer | Readable;
  readonly agent: Agent;
  /** Fails the exchange when the socket is idle this long (headers or body). */
  readonly timeoutMs: number;
  /** Called with each streamed chunk's size as it goes into the request. */
  readonly onBytes?: (n: number) => void;
}

/**
 * Sends one request with node:http(s) and resolves with the response head; a streamed body is piped
 * with backpressure, so memory stays flat whatever the blob size. Network failures become
 * {@link RegistryError}s carrying Node's code (ECONNRESET, ETIMEDOUT…).
 */
export function sendHttp(exchange: HttpExchange): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const send = exchange.url.protocol === "https:" ? httpsRequest : httpRequest;
    const req = send(exchange.url, {
      method: exchange.method,
      headers: exchange.headers,
      agent: exchange.agent,
    });
    const fail = (error: unknown) => reject(networkError(exchange, error));
    req.setTimeout(exchange.timeoutMs, () => req.destroy(timeoutError(exchange.timeoutMs)));
    req.once("error", fail);
    req.once("response", (res) => {
      res.once("error", () => undefined);
      resolve(res);
    });
    if (exchange.body instanceof Readable) pump(exchange.body, req, exchange.onBytes);
    else req.end(exchange.body);
  });
}

/**
 * Pipes a stream into the request: Node's own pipe pauses the body whenever the socket is full
 * (backpressure) and costs no promise per chunk; a body that fails destroys the request with its error.
 * The request is ended in the caller's async context, not the body's (whose events run in the context
 * of whoever opened its socket), so what `end()` reports (`http.client.request.start`) names the caller.
 */
function pump(body: Readable, req: ClientRequest, onBytes?: (n: number) => void): void {
  if (onBytes) body.on("data", (chunk: Buffer) => onBytes(chunk.length));
  body.once("error", (error) => req.destroy(error));
  body.once(
    "end",
    AsyncResource.bind(() => req.end()),
  );
  body.pipe(req, { end: false });
}

function timeoutError(ms: number): Error {
  return Object.assign(new Error(`no data for ${ms} ms`), { code: "ETIMEDOUT" });
}

function networkError(exchange: HttpExchange, error: unknown): RegistryError {
  if (error instanceof RegistryError) return error;
  const url = redactUrl(exchange.url);
  const code = (error as { code?: unknown } | null)?.code;
  const reason = error instanceof Error ? error.message : String(error);
  return new RegistryError({
    message: `${exchange.method} ${url}: ${reason}`,
    method: exchange.method,
    url,
    networkCode: typeof code === "string" ? code : undefined,
    cause: error,
  });
}
