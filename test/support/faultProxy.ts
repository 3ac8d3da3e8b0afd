import { once } from "node:events";
import {
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import { type AuthState, authorized, type ProxyAuth } from "./faultProxyAuth.ts";

export type { ProxyAuth } from "./faultProxyAuth.ts";

/** What to do to a matching request. */
export type Fault =
  /** Answer with this status instead of forwarding (a 5xx burst, a 429 with Retry-After…). */
  | {
      readonly kind: "status";
      readonly status: number;
      readonly headers?: Record<string, string>;
      readonly body?: string;
    }
  /** Forward, then cut the connection after this many request-body bytes (an upload dropped mid-blob). */
  | { readonly kind: "drop-request"; readonly afterBytes: number }
  /** Forward, then cut the connection after this many response-body bytes (a download dropped mid-blob). */
  | { readonly kind: "drop-response"; readonly afterBytes: number }
  /** Wait before answering (a slow registry). */
  | { readonly kind: "delay"; readonly ms: number }
  /** Buffer the response and rewrite it (a lying registry). */
  | {
      readonly kind: "rewrite";
      readonly rewrite: (
        body: Buffer,
        headers: IncomingHttpHeaders,
      ) => { body: Buffer; headers: IncomingHttpHeaders };
    };

/** When a fault applies. */
export interface FaultRule {
  readonly method?: string;
  readonly path?: RegExp;
  /** Matching requests to hit; afterwards the rule is spent (default: all of them). */
  readonly times?: number;
  /** The chance (0–1) that a matching request is hit (default 1): a fault rate. */
  readonly chance?: number;
  readonly fault: Fault;
}

/** One request the proxy saw. */
export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  /** Request-body bytes received from the client. */
  readonly bytesIn: number;
  /** Response-body bytes passed back to the client. */
  readonly bytesOut: number;
  readonly authorization: string | undefined;
}

/** A running fault-injecting reverse proxy. */
export interface FaultProxy {
  readonly host: string;
  readonly url: string;
  readonly seen: readonly SeenRequest[];
  /** Replaces the fault rules. */
  faults(rules: readonly FaultRule[]): void;
  /** Forgets what was seen. */
  clear(): void;
  /** Request-body bytes sent to blob upload URLs (PATCH/PUT under /blobs/uploads/). */
  uploadedBytes(): number;
  /** Response-body bytes of blob downloads (GET /v2/…/blobs/<digest>). */
  downloadedBytes(): number;
  stop(): Promise<void>;
}

interface State extends AuthState {
  readonly target: string;
  readonly random: () => number;
  readonly seen: SeenRequest[];
  rules: { rule: FaultRule; left: number }[];
}

/**
 * Starts a loopback reverse proxy in front of `target` (`host:port`) that injects faults by rule and can
 * demand Basic or Bearer (token-server) authentication. The Host header passes through, so the
 * registry's upload Locations point back at the proxy.
 * @example const proxy = await startFaultProxy(registry.host); proxy.faults([{ method: "PUT", fault: { kind: "status", status: 503 }, times: 2 }])
 */
export async function startFaultProxy(
  target: string,
  options: { auth?: ProxyAuth; random?: () => number } = {},
): Promise<FaultProxy> {
  const random = options.random ?? Math.random;
  const state: State = {
    target,
    random,
    auth: options.auth,
    tokens: new Set(),
    seen: [],
    rules: [],
    self: "",
  };
  const server = createServer((req, res) => handle(state, req, res));
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  state.self = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    host: state.self,
    url: `http://${state.self}`,
    seen: state.seen,
    faults: (rules) => {
      state.rules = rules.map((rule) => ({ rule, left: rule.times ?? Number.POSITIVE_INFINITY }));
    },
    clear: () => state.seen.splice(0),
    uploadedBytes: () =>
      state.seen
        .filter((r) => /\/blobs\/uploads\//.test(r.path) && r.method !== "POST")
        .reduce((sum, r) => sum + r.bytesIn, 0),
    downloadedBytes: () =>
      state.seen
        .filter((r) => r.method === "GET" && /\/blobs\/sha256:/.test(r.path))
        .reduce((sum, r) => sum + r.bytesOut, 0),
    stop: () => stop(server),
  };
}

function handle(state: State, req: IncomingMessage, res: ServerResponse): void {
  const record = {
    method: req.method ?? "GET",
    path: req.url ?? "/",
    status: 0,
    bytesIn: 0,
    bytesOut: 0,
    authorization: req.headers.authorization,
  };
  state.seen.push(record);
  res.once("finish", () => {
    record.status = res.statusCode;
  });
  const count = () =>
    req.on("data", (chunk: Buffer) => {
      record.bytesIn += chunk.length;
    });
  if (state.auth && !authorized(state, req, res)) {
    count().resume();
    return;
  }
  const fault = takeFault(state, record.method, record.path);
  if (fault?.kind === "status") {
    count().resume();
    res
      .writeHead(fault.status, { "content-type": "application/json", ...fault.headers })
      .end(fault.body ?? "");
    return;
  }
  const go = () => forward(state, count(), res, fault, record);
  if (fault?.kind === "delay") setTimeout(go, fault.ms);
  else go();
}

function takeFault(state: State, method: string, path: string): Fault | undefined {
  const hit = state.rules.find(
    ({ rule, left }) =>
      left > 0 &&
      (rule.method === undefined || rule.method === method) &&
      (rule.path === undefined || rule.path.test(path)) &&
      (rule.chance === undefined || state.random() < rule.chance),
  );
  if (!hit) return undefined;
  hit.left--;
  return hit.rule.fault;
}

function forward(
  state: State,
  req: IncomingMessage,
  res: ServerResponse,
  fault: Fault | undefined,
  record: { bytesOut: number },
): void {
  const headers = { ...req.headers };
  delete headers.authorization;
  const upstream = httpRequest({
    host: "127.0.0.1",
    port: Number(state.target.split(":")[1]),
    method: req.method,
    path: req.url,
    headers,
  });
  upstream.on("error", () => res.destroy());
  res.on("close", () => {
    if (!res.writableFinished) upstream.destroy();
  });
  upstream.on("response", (up) => respond(up, res, fault, record));
  let sent = 0;
  req.on("data", (chunk: Buffer) => {
    sent += chunk.length;
    if (fault?.kind === "drop-request" && sent > fault.afterBytes) {
      req.socket.destroy();
      upstream.destroy();
    }
  });
  req.pipe(upstream);
}

function respond(
  up: IncomingMessage,
  res: ServerResponse,
  fault: Fault | undefined,
  record: { bytesOut: number },
): void {
  if (fault?.kind === "rewrite") {
    const chunks: Buffer[] = [];
    up.on("data", (chunk: Buffer) => chunks.push(chunk));
    up.on("end", () => {
      const out = fault.rewrite(Buffer.concat(chunks), { ...up.headers });
      res
        .writeHead(up.statusCode ?? 502, { ...out.headers, "content-length": String(out.body.length) })
        .end(out.body);
    });
    return;
  }
  res.writeHead(up.statusCode ?? 502, up.headers);
  let sent = 0;
  up.on("data", (chunk: Buffer) => {
    sent += chunk.length;
    record.bytesOut += chunk.length;
    if (fault?.kind === "drop-response" && sent > fault.afterBytes) {
      res.socket?.destroy();
      up.destroy();
    }
  });
  up.pipe(res);
}

async function stop(server: Server): Promise<void> {
  server.closeAllConnections();
  server.close();
  await once(server, "close");
}
