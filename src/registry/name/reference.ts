import { type Digest, parseDigest } from "../../core/digest.ts";
import { parseRepositoryName } from "../../core/repositoryName.ts";
import { fail, ok, type Result, type ValidationIssue } from "../../core/result.ts";
import { parseTagName } from "../../core/tagName.ts";
import { DEFAULT_REGISTRY, looksLikeRegistry, parseRegistryHost } from "./referenceHost.ts";

/** An image reference: `registry/repository[:tag][@digest]`, parsed and validated. */
export interface Reference {
  /** `host[:port]`, e.g. `127.0.0.1:5000` or `123456789012.dkr.ecr.eu-west-1.amazonaws.com`. */
  readonly registry: string;
  /** Path inside the registry, e.g. `team/app` (`library/nginx` for Docker Hub official images). */
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: Digest;
}

const MAX_REFERENCE = 4096;

/**
 * Parses `host[:port]/path[:tag][@sha256:…]` with Docker's default-registry rules: a first component
 * without `.` or `:` (and not `localhost`) means Docker Hub, and a lone name means `library/<name>`.
 * @example parseReference("127.0.0.1:5000/team/app:1.2@sha256:" + "a".repeat(64))
 */
export function parseReference(value: unknown, field = "reference"): Result<Reference> {
  if (typeof value !== "string") return fail([{ field, value, message: "must be a string" }]);
  const shape = checkShape(value, field);
  if (shape) return fail([shape]);
  const [rest, digestText] = splitOnce(value, "@");
  const slash = rest.lastIndexOf("/");
  const colon = rest.lastIndexOf(":");
  const [name, tag] = colon > slash ? [rest.slice(0, colon), rest.slice(colon + 1)] : [rest, undefined];
  const { registry, repository } = splitName(name);
  return assemble(value, field, { registry, repository, tag, digestText });
}

function checkShape(value: string, field: string): ValidationIssue | undefined {
  if (value.length === 0) return { field, value, message: "must not be empty" };
  if (value.length > MAX_REFERENCE)
    return { field, value, message: `must be at most ${MAX_REFERENCE} characters` };
  if (/\s/.test(value)) return { field, value, message: "must not contain spaces" };
  if (value.includes("://"))
    return { field, value, message: "must not have a scheme (write host/repository, not https://…)" };
  if (/^[^/]*@[^/]*\//.test(value))
    return {
      field,
      value: "(redacted)",
      message: "must not contain credentials (user:password@host); use the environment",
    };
  return undefined;
}

function splitOnce(value: string, separator: string): [string, string | undefined] {
  const at = value.indexOf(separator);
  return at < 0 ? [value, undefined] : [value.slice(0, at), value.slice(at + 1)];
}

function splitName(name: string): { registry: string; repository: string } {
  const slash = name.indexOf("/");
  const first = slash < 0 ? name : name.slice(0, slash);
  if (slash >= 0 && looksLikeRegistry(first)) return { registry: first, repository: name.slice(slash + 1) };
  return { registry: DEFAULT_REGISTRY, repository: slash < 0 ? `library/${name}` : name };
}

interface Parts {
  readonly registry: string;
  readonly repository: string;
  readonly tag: string | undefined;
  readonly digestText: string | undefined;
}

function assemble(value: string, field: string, parts: Parts): Result<Reference> {
  const registry = parseRegistryHost(parts.registry, `${field}.registry`);
  const repository = parseRepositoryName(parts.repository, `${field}.repository`);
  const tag = parts.tag === undefined ? undefined : parseTagName(parts.tag, `${field}.tag`);
  const digest =
    parts.digestText === undefined ? undefined : parseDigest(parts.digestText, `${field}.digest`);
  const issues = [registry, repository, tag, digest].flatMap((r) => (r && !r.ok ? r.error : []));
  if (issues.length > 0)
    return fail(
      issues.map((issue) => ({ ...issue, message: `${issue.message} (in ${JSON.stringify(value)})` })),
    );
  return ok({
    registry: parts.registry,
    repository: parts.repository,
    ...(parts.tag === undefined ? {} : { tag: parts.tag }),
    ...(digest?.ok ? { digest: digest.value } : {}),
  });
}
