import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

/** Authentication the proxy demands in front of an open registry. */
export type ProxyAuth = {
  readonly kind: "basic" | "bearer";
  readonly username: string;
  readonly password: string;
};

/** What the proxy knows to check credentials and tokens. */
export interface AuthState {
  readonly auth: ProxyAuth | undefined;
  readonly tokens: Set<string>;
  /** The proxy's own `host:port`, for the token realm. */
  self: string;
}

type State = AuthState;

/** Checks the Authorization header; answers the token endpoint and 401 challenges itself. */
export function authorized(state: State, req: IncomingMessage, res: ServerResponse): boolean {
  const auth = state.auth as ProxyAuth;
  const basic = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString("base64")}`;
  if (auth.kind === "basic") {
    if (req.headers.authorization === basic) return true;
    res.writeHead(401, {
      "www-authenticate": 'Basic realm="portcullis-test"',
      "content-type": "application/json",
    });
    res.end(JSON.stringify({ errors: [{ code: "UNAUTHORIZED", message: "authentication required" }] }));
    return false;
  }
  if (req.url?.startsWith("/token")) return serveToken(state, req, res, basic);
  const token = req.headers.authorization?.replace(/^Bearer /, "");
  if (token && state.tokens.has(token)) return true;
  const scope = /^\/v2\/(.+)\/(?:manifests|blobs|tags)\//.exec(req.url ?? "")?.[1];
  const challenge = `Bearer realm="http://${state.self}/token",service="portcullis-test"${scope ? `,scope="repository:${scope}:pull"` : ""}`;
  res.writeHead(401, { "www-authenticate": challenge, "content-type": "application/json" });
  res.end(JSON.stringify({ errors: [{ code: "UNAUTHORIZED", message: "authentication required" }] }));
  return false;
}

function serveToken(state: State, req: IncomingMessage, res: ServerResponse, basic: string): false {
  req.resume();
  if (req.headers.authorization !== basic) {
    res
      .writeHead(401, { "content-type": "application/json" })
      .end(JSON.stringify({ errors: [{ code: "UNAUTHORIZED", message: "bad credentials" }] }));
    return false;
  }
  const token = randomBytes(16).toString("hex");
  state.tokens.add(token);
  res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ token, expires_in: 300 }));
  return false;
}
