import { createPublicKey, type KeyObject, randomBytes, verify } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { checkRequest, findOperation } from "./githubOpenApi.ts";

/** One request as the server received it. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly authorization: string | undefined;
  readonly body: unknown;
  /** The OpenAPI path template it resolved to, e.g. `/repos/{owner}/{repo}/check-runs`. */
  readonly template: string | undefined;
}

/** A check run as the fake stores it. */
export interface StoredCheckRun {
  id: number;
  owner: string;
  repo: string;
  head_sha: string;
  name: string;
  external_id: string | null;
  status: string;
  conclusion: string | null;
  details_url: string | null;
  completed_at: string | null;
  output: { title: string | null; summary: string | null; text: string | null };
  annotations: unknown[];
}

/** A canned response for the next matching requests (a fault to inject). */
export interface FaultRule {
  readonly method?: string;
  /** Matches the request path (a regular expression or a substring). */
  readonly path?: RegExp | string;
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  /** How many requests it answers (default 1). */
  readonly times?: number;
}

/** What the fake GitHub knows. */
export interface GitHubServerOptions {
  readonly appId: number;
  readonly installationId: number;
  /** PEM of the App's public key: the App JWT is verified with it. */
  readonly publicKey: string | KeyObject;
  /** `owner/repo` → the commits that exist in it. */
  readonly repositories: Readonly<Record<string, readonly string[]>>;
  /** Personal/fine-grained tokens accepted for commit statuses. */
  readonly tokens?: readonly string[];
  /** Milliseconds to hold every response (widens race windows in tests). */
  readonly delayMs?: number;
  /** Serve under this path too, as GitHub Enterprise Server serves its API under `/api/v3`. */
  readonly pathPrefix?: string;
}

/** A running fake. */
export interface GitHubServer {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Every way a request departed from GitHub's OpenAPI description or auth rules; tests expect none. */
  readonly violations: string[];
  /** Installation tokens issued (after a verified App JWT). */
  readonly tokensIssued: () => number;
  checkRuns(repository?: string): StoredCheckRun[];
  statuses(repository: string, sha: string): Record<string, unknown>[];
  /** Answers the next matching requests with a canned response instead of the fake's own. */
  failNext(rule: FaultRule): void;
  /** Grants or withdraws the installation's permission for check runs (403 without it). */
  setChecksPermission(granted: boolean): void;
  stop(): Promise<void>;
}

const JWT_MAX_LIFETIME_SECONDS = 600 + 60;

/**
 * Starts a loopback GitHub (REST) on a free port: App installation tokens (the JWT verified with the test's
 * RSA public key), check runs (create, update with appended annotations, list for a ref by name), commit
 * statuses; 404 for unknown repositories, 422 for unknown commits, 403 without the checks permission.
 * Every request is recorded and checked against GitHub's OpenAPI description.
 */
export async function startGitHubServer(options: GitHubServerOptions): Promise<GitHubServer> {
  const publicKey =
    typeof options.publicKey === "string" ? createPublicKey(options.publicKey) : options.publicKey;
  const requests: RecordedRequest[] = [];
  const violations: string[] = [];
  const runs: StoredCheckRun[] = [];
  const statuses = new Map<string, Record<string, unknown>[]>();
  const faults: (FaultRule & { left: number })[] = [];
  const installationTokens = new Set<string>();
  let checksPermission = true;
  let nextId = 1000;

  const server = createServer((req, res) => {
    readBody(req)
      .then(async (raw) => {
        const url = new URL(req.url ?? "/", "http://127.0.0.1");
        if (options.pathPrefix && url.pathname.startsWith(`${options.pathPrefix}/`))
          url.pathname = url.pathname.slice(options.pathPrefix.length);
        let body: unknown;
        if (raw.length > 0) {
          try {
            body = JSON.parse(raw);
          } catch {
            violations.push(`${req.method} ${url.pathname}: body is not JSON`);
          }
        }
        const method = req.method ?? "GET";
        const found = findOperation(method, url.pathname);
        requests.push({
          method,
          path: url.pathname,
          query: Object.fromEntries(url.searchParams),
          authorization: req.headers.authorization,
          body,
          template: found?.op.template,
        });
        violations.push(...checkRequest(method, url, body));
        if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
        const fault = faults.find((f) => f.left > 0 && matches(f, method, url.pathname));
        if (fault) {
          fault.left -= 1;
          return send(res, fault.status, fault.body ?? { message: "injected" }, fault.headers);
        }
        route(method, url, found?.params ?? {}, found?.op.template, body, req, res);
      })
      .catch((error: unknown) => send(res, 500, { message: String(error) }));
  });

  function route(
    method: string,
    url: URL,
    params: Record<string, string>,
    template: string | undefined,
    body: unknown,
    req: IncomingMessage,
    res: ServerResponse,
  ): true {
    if (template === "/app/installations/{installation_id}/access_tokens")
      return issueToken(params, req, res);
    const auth = authenticate(req.headers.authorization);
    if (auth === undefined) return send(res, 401, { message: "Bad credentials" });
    const repository = `${params.owner}/${params.repo}`;
    const commits = options.repositories[repository];
    if (commits === undefined)
      return send(res, 404, { message: "Not Found", documentation_url: "https://docs.github.com/rest" });
    const isChecks = template?.includes("check-runs") ?? false;
    if (isChecks && (auth !== "installation" || !checksPermission))
      return send(
        res,
        403,
        { message: "Resource not accessible by integration" },
        { "x-accepted-github-permissions": "checks=write" },
      );
    const b = (body ?? {}) as Record<string, unknown>;
    switch (`${method} ${template}`) {
      case "POST /repos/{owner}/{repo}/check-runs":
        if (!commits.includes(String(b.head_sha)))
          return send(res, 422, {
            message: "Unprocessable Entity",
            errors: [`No commit found for SHA: ${String(b.head_sha)}`],
          });
        return send(res, 201, view(createRun(params, b)));
      case "PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}": {
        const run = runs.find(
          (r) => r.id === Number(params.check_run_id) && `${r.owner}/${r.repo}` === repository,
        );
        if (!run) return send(res, 404, { message: "Not Found" });
        return send(res, 200, view(applyUpdate(run, b)));
      }
      case "GET /repos/{owner}/{repo}/commits/{ref}/check-runs":
        return send(res, 200, listRuns(repository, params.ref ?? "", url));
      case "POST /repos/{owner}/{repo}/statuses/{sha}": {
        if (!commits.includes(params.sha ?? ""))
          return send(res, 422, { message: `No commit found for SHA: ${params.sha}` });
        const key = `${repository}@${params.sha}`;
        const status = { id: nextId++, ...b, created_at: new Date().toISOString() };
        statuses.set(key, [...(statuses.get(key) ?? []), status]);
        return send(res, 201, status);
      }
      default:
        return send(res, 404, { message: `fake GitHub does not serve ${method} ${url.pathname}` });
    }
  }

  function issueToken(params: Record<string, string>, req: IncomingMessage, res: ServerResponse): true {
    const problem = verifyAppJwt(req.headers.authorization, publicKey, options.appId);
    if (problem) {
      violations.push(`access token request: ${problem}`);
      return send(res, 401, { message: "A JSON web token could not be decoded" });
    }
    if (Number(params.installation_id) !== options.installationId)
      return send(res, 404, { message: "Not Found" });
    const token = `ghs_${randomBytes(18).toString("hex")}`;
    installationTokens.add(token);
    return send(res, 201, {
      token,
      expires_at: new Date(Date.now() + 3600_000).toISOString(),
      permissions: { checks: "write", statuses: "write", metadata: "read" },
      repository_selection: "all",
    });
  }

  function authenticate(header: string | undefined): "installation" | "token" | undefined {
    const token = /^(?:token|bearer) (\S+)$/i.exec(header ?? "")?.[1];
    if (token === undefined) return undefined;
    if (installationTokens.has(token)) return "installation";
    return options.tokens?.includes(token) ? "token" : undefined;
  }

  function createRun(params: Record<string, string>, b: Record<string, unknown>): StoredCheckRun {
    const run: StoredCheckRun = {
      id: nextId++,
      owner: params.owner ?? "",
      repo: params.repo ?? "",
      head_sha: String(b.head_sha),
      name: String(b.name),
      external_id: null,
      status: "queued",
      conclusion: null,
      details_url: null,
      completed_at: null,
      output: { title: null, summary: null, text: null },
      annotations: [],
    };
    runs.push(run);
    return applyUpdate(run, b);
  }

  function listRuns(repository: string, ref: string, url: URL) {
    const name = url.searchParams.get("check_name");
    const matching = runs.filter(
      (r) =>
        `${r.owner}/${r.repo}` === repository && r.head_sha === ref && (name === null || r.name === name),
    );
    return { total_count: matching.length, check_runs: matching.map(view) };
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    violations,
    tokensIssued: () => installationTokens.size,
    checkRuns: (repository) =>
      runs.filter((r) => repository === undefined || `${r.owner}/${r.repo}` === repository),
    statuses: (repository, sha) => statuses.get(`${repository}@${sha}`) ?? [],
    failNext: (rule) => faults.push({ ...rule, left: rule.times ?? 1 }),
    setChecksPermission: (granted) => {
      checksPermission = granted;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Applies a create/update body the way GitHub does: fields replaced, annotations appended. */
function applyUpdate(run: StoredCheckRun, b: Record<string, unknown>): StoredCheckRun {
  if (typeof b.name === "string") run.name = b.name;
  if (typeof b.external_id === "string") run.external_id = b.external_id;
  if (typeof b.details_url === "string") run.details_url = b.details_url;
  if (typeof b.status === "string") run.status = b.status;
  if (typeof b.conclusion === "string") {
    run.conclusion = b.conclusion;
    run.status = "completed";
  }
  if (typeof b.completed_at === "string") run.completed_at = b.completed_at;
  const output = b.output as Record<string, unknown> | undefined;
  if (output) {
    if (typeof output.title === "string") run.output.title = output.title;
    if (typeof output.summary === "string") run.output.summary = output.summary;
    if (typeof output.text === "string") run.output.text = output.text;
    if (Array.isArray(output.annotations)) run.annotations.push(...output.annotations);
  }
  return run;
}

function view(run: StoredCheckRun) {
  return {
    id: run.id,
    name: run.name,
    head_sha: run.head_sha,
    external_id: run.external_id,
    status: run.status,
    conclusion: run.conclusion,
    details_url: run.details_url,
    completed_at: run.completed_at,
    html_url: `https://github.com/${run.owner}/${run.repo}/runs/${run.id}`,
    output: { ...run.output, annotations_count: run.annotations.length },
  };
}

/** Checks an App JWT as GitHub does: RS256, signed by the App's key, iss = app id, at most ten minutes. */
function verifyAppJwt(header: string | undefined, publicKey: KeyObject, appId: number): string | undefined {
  const jwt = /^bearer (\S+)$/i.exec(header ?? "")?.[1];
  if (!jwt)
    return `expected "Authorization: Bearer <JWT>", got ${header === undefined ? "none" : "another scheme"}`;
  const [head, payload, signature] = jwt.split(".");
  if (!head || !payload || !signature) return "not a JWT";
  const header64 = JSON.parse(Buffer.from(head, "base64url").toString()) as Record<string, unknown>;
  if (header64.alg !== "RS256") return `alg ${String(header64.alg)}, expected RS256`;
  const valid = verify(
    "RSA-SHA256",
    Buffer.from(`${head}.${payload}`),
    publicKey,
    Buffer.from(signature, "base64url"),
  );
  if (!valid) return "signature does not verify with the App's public key";
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString()) as Record<string, unknown>;
  const now = Date.now() / 1000;
  if (String(claims.iss) !== String(appId)) return `iss ${String(claims.iss)}, expected ${appId}`;
  if (typeof claims.iat !== "number" || claims.iat > now + 60) return "iat missing or in the future";
  if (typeof claims.exp !== "number" || claims.exp <= now) return "expired";
  if (claims.exp - claims.iat > JWT_MAX_LIFETIME_SECONDS) return "lives longer than ten minutes";
  return undefined;
}

function matches(rule: FaultRule, method: string, path: string): boolean {
  if (rule.method && rule.method !== method) return false;
  if (rule.path === undefined) return true;
  return typeof rule.path === "string" ? path.includes(rule.path) : rule.path.test(path);
}

/** Sends a JSON response; `true` so route handlers can `return send(…)`. */
function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): true {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
  res.end(JSON.stringify(body));
  return true;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
