import { createHash } from "node:crypto";
import { once } from "node:events";
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A descriptor as the referrers API lists it. */
interface ReferrerEntry {
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
  readonly artifactType?: string;
  readonly annotations?: Record<string, string>;
}

/** A running referrers-API front over a distribution registry. */
export interface ReferrersFront {
  /** `127.0.0.1:PORT`, the registry part of a reference. */
  readonly host: string;
  /** Referrers queries answered so far (path and query). */
  readonly queries: readonly string[];
  stop(): Promise<void>;
}

/** Options for {@link startReferrersFront}. */
export interface ReferrersFrontOptions {
  /** Descriptors per referrers page; more are reached through `Link: <…>; rel="next"` (default: one page). */
  readonly pageSize?: number;
}

const OCI_INDEX = "application/vnd.oci.image.index.v1+json";
const MANIFEST_PUT = /^\/v2\/(.+)\/manifests\/([^/]+)$/;
const REFERRERS = /^\/v2\/(.+)\/referrers\/([^/?]+)$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;

/**
 * A registry with the OCI 1.1 referrers API, made of CNCF distribution 2.8 (which has none) and this
 * front: every request is forwarded, a manifest PUT with a `subject` is remembered and answered with
 * `OCI-Subject`, and `GET /v2/<name>/referrers/<digest>[?artifactType=…]` is answered from what was
 * pushed through it, as distribution-spec 1.1 "Listing Referrers" describes (200 with an OCI index,
 * `artifactType` from the manifest or its config's media type, annotations copied, an empty index when
 * nothing refers, 400 for a bad digest, `OCI-Filters-Applied: artifactType` when filtered, `Link` pages).
 * @example const front = await startReferrersFront(registry.host); … await front.stop();
 */
export async function startReferrersFront(
  upstream: string,
  options: ReferrersFrontOptions = {},
): Promise<ReferrersFront> {
  const referrers = new Map<string, ReferrerEntry[]>();
  const queries: string[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://front");
    const listing = REFERRERS.exec(url.pathname);
    if (req.method === "GET" && listing) {
      queries.push(`${url.pathname}${url.search}`);
      return answerReferrers(res, url, listing[1] as string, listing[2] as string, referrers, options);
    }
    const put = req.method === "PUT" ? MANIFEST_PUT.exec(url.pathname) : null;
    if (put) return forwardManifestPut(req, res, upstream, put[1] as string, referrers);
    forward(req, res, upstream, undefined);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    queries,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function answerReferrers(
  res: ServerResponse,
  url: URL,
  name: string,
  digest: string,
  referrers: Map<string, ReferrerEntry[]>,
  options: ReferrersFrontOptions,
): void {
  if (!DIGEST.test(digest)) {
    const error = { code: "DIGEST_INVALID", message: "invalid digest", detail: digest };
    res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ errors: [error] }));
    return;
  }
  const artifactType = url.searchParams.get("artifactType");
  const all = (referrers.get(`${name}@${digest}`) ?? []).filter(
    (entry) => artifactType === null || entry.artifactType === artifactType,
  );
  const start = Number(url.searchParams.get("page") ?? 0) * (options.pageSize ?? all.length);
  const size = options.pageSize ?? all.length;
  const page = all.slice(start, start + size);
  const headers: Record<string, string> = { "content-type": OCI_INDEX };
  if (artifactType !== null) headers["oci-filters-applied"] = "artifactType";
  if (options.pageSize !== undefined && start + size < all.length) {
    const next = new URL(url);
    next.searchParams.set("page", String(start / size + 1));
    headers.link = `<${next.pathname}${next.search}>; rel="next"`;
  }
  const body = { schemaVersion: 2, mediaType: OCI_INDEX, manifests: page };
  res.writeHead(200, headers).end(JSON.stringify(body));
}

function forwardManifestPut(
  req: IncomingMessage,
  res: ServerResponse,
  upstream: string,
  name: string,
  referrers: Map<string, ReferrerEntry[]>,
): void {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    const body = Buffer.concat(chunks);
    const entry = referrerEntry(body, req.headers["content-type"]);
    forward(req, res, upstream, body, (status): Record<string, string> => {
      if (status !== 201 || entry === undefined) return {};
      const key = `${name}@${entry.subject}`;
      const list = referrers.get(key) ?? [];
      if (!list.some((e) => e.digest === entry.descriptor.digest)) list.push(entry.descriptor);
      referrers.set(key, list);
      return { "oci-subject": entry.subject };
    });
  });
}

/** The subject and listing descriptor of a pushed manifest, or undefined when it has no subject. */
function referrerEntry(
  body: Buffer,
  contentType: string | undefined,
): { subject: string; descriptor: ReferrerEntry } | undefined {
  let json: {
    mediaType?: string;
    artifactType?: string;
    subject?: { digest?: string };
    config?: { mediaType?: string };
    annotations?: Record<string, string>;
  };
  try {
    json = JSON.parse(body.toString("utf8")) as typeof json;
  } catch {
    return undefined;
  }
  if (typeof json.subject?.digest !== "string") return undefined;
  const mediaType = json.mediaType ?? contentType ?? "";
  const artifactType = json.artifactType ?? (mediaType === OCI_INDEX ? undefined : json.config?.mediaType);
  const digest = `sha256:${createHash("sha256").update(body).digest("hex")}`;
  const descriptor: ReferrerEntry = {
    mediaType,
    digest,
    size: body.length,
    ...(artifactType === undefined ? {} : { artifactType }),
    ...(json.annotations === undefined ? {} : { annotations: json.annotations }),
  };
  return { subject: json.subject.digest, descriptor };
}

/** Forwards a request to the registry (with `body` if already read) and relays the answer; Host passes through, so upload Locations point back at the front. */
function forward(
  req: IncomingMessage,
  res: ServerResponse,
  upstream: string,
  body: Buffer | undefined,
  extraHeaders: (status: number) => Record<string, string> = () => ({}),
): void {
  const [hostname, port] = upstream.split(":");
  const headers = req.headers;
  const out = httpRequest(
    { hostname, port: Number(port), method: req.method, path: req.url, headers },
    (answer) => {
      const status = answer.statusCode ?? 502;
      res.writeHead(status, { ...answer.headers, ...extraHeaders(status) });
      answer.pipe(res);
    },
  );
  out.on("error", () => res.destroy());
  if (body === undefined) req.pipe(out);
  else out.end(body);
}
