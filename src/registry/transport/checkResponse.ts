import type { IncomingMessage } from "node:http";
import { type OciErrorEntry, RegistryError } from "../errors.ts";
import { readSome } from "./readBody.ts";
import { redactUrl } from "./redactUrl.ts";
import { parseRetryAfter } from "./retryAfter.ts";

/** What was asked, to name it in the error. */
export interface ResponseContext {
  readonly method: string;
  readonly url: string | URL;
  /** Statuses that mean success for this request. */
  readonly expect: readonly number[];
}

/**
 * The one place a response becomes an error: returns `res` when its status is expected, otherwise
 * reads the spec's error body (https://github.com/opencontainers/distribution-spec/blob/main/spec.md#error-codes)
 * and throws a {@link RegistryError} with status, codes, method and redacted URL.
 * @example const res = await checkResponse(await send(...), { method: "GET", url, expect: [200] })
 */
export async function checkResponse(
  res: IncomingMessage,
  context: ResponseContext,
): Promise<IncomingMessage> {
  const status = res.statusCode ?? 0;
  if (context.expect.includes(status)) return res;
  const body = context.method === "HEAD" ? "" : await readSome(res);
  if (context.method === "HEAD") res.resume();
  throw responseError(res, context, body);
}

/** Builds the error for an unexpected response whose body was already read. */
export function responseError(res: IncomingMessage, context: ResponseContext, body: string): RegistryError {
  const status = res.statusCode ?? 0;
  const errors = parseErrorBody(body);
  const url = redactUrl(context.url);
  const detail = errors.length > 0 ? errors.map((e) => `${e.code}: ${e.message}`).join("; ") : snippet(body);
  return new RegistryError({
    message:
      `${context.method} ${url}: ${status} ${res.statusMessage ?? ""}${detail ? ` (${detail})` : ""}`.trim(),
    status,
    errors,
    method: context.method,
    url,
    retryAfterMs: parseRetryAfter(header(res, "retry-after")),
  });
}

/** Parses `{"errors":[{"code","message"}]}`; anything else yields no entries. */
export function parseErrorBody(body: string): OciErrorEntry[] {
  try {
    const parsed = JSON.parse(body) as { errors?: unknown };
    if (!Array.isArray(parsed.errors)) return [];
    return parsed.errors.flatMap((entry: { code?: unknown; message?: unknown }) =>
      typeof entry?.code === "string" ? [{ code: entry.code, message: String(entry.message ?? "") }] : [],
    );
  } catch {
    return [];
  }
}

function header(res: IncomingMessage, name: string): string | undefined {
  const value = res.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function snippet(body: string): string {
  const text = body.replace(/\s+/g, " ").trim();
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
