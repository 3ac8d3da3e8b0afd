import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A canned answer for the next posts. */
export interface SlackFault {
  readonly status: number;
  readonly body?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly times?: number;
}

/** A running loopback Slack incoming webhook. */
export interface SlackServer {
  /** The webhook URL: its path carries a random secret, as Slack's do. */
  readonly url: string;
  /** The secret part of the URL, to look for in logs and errors. */
  readonly secret: string;
  /** Messages accepted (answered 200 "ok"), in order. */
  readonly messages: Record<string, unknown>[];
  /** Every post, accepted or not. */
  readonly posts: () => number;
  failNext(fault: SlackFault): void;
  stop(): Promise<void>;
}

/**
 * Starts a loopback Slack incoming webhook on a free port: POST to the secret path with a JSON body is
 * answered 200 "ok" and recorded; another path 404 "no_service"; a non-JSON body 400 "invalid_payload";
 * injected faults answer first.
 */
export async function startSlackServer(options: { delayMs?: number } = {}): Promise<SlackServer> {
  const secret = randomBytes(12).toString("hex");
  const path = `/services/T0PORTCUL/B0LLIS/${secret}`;
  const messages: Record<string, unknown>[] = [];
  const faults: (SlackFault & { left: number })[] = [];
  let posts = 0;
  const server = createServer((req, res) => {
    read(req)
      .then(async (body) => {
        posts += 1;
        if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
        const fault = faults.find((f) => f.left > 0);
        if (fault) {
          fault.left -= 1;
          return reply(res, fault.status, fault.body ?? "fault", fault.headers);
        }
        if (req.method !== "POST" || req.url !== path) return reply(res, 404, "no_service");
        if (!(req.headers["content-type"] ?? "").startsWith("application/json"))
          return reply(res, 400, "invalid_payload");
        try {
          messages.push(JSON.parse(body) as Record<string, unknown>);
        } catch {
          return reply(res, 400, "invalid_payload");
        }
        return reply(res, 200, "ok");
      })
      .catch(() => reply(res, 500, "server_error"));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    secret,
    messages,
    posts: () => posts,
    failNext: (fault) => faults.push({ ...fault, left: fault.times ?? 1 }),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function reply(
  res: ServerResponse,
  status: number,
  body: string,
  headers: Readonly<Record<string, string>> = {},
) {
  res.writeHead(status, { "content-type": "text/plain", ...headers });
  res.end(body);
}

function read(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
