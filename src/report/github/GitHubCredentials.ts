import { fail, ok, type Result, type ValidationIssue } from "../../core/index.ts";

/** A GitHub App installation: check runs. The private key is PEM (PKCS#1 or PKCS#8). */
export interface GitHubAppCredentials {
  readonly kind: "app";
  readonly appId: number;
  readonly installationId: number;
  readonly privateKey: string;
}

/** A token (fine-grained or classic, `repo:status`): commit statuses only. */
export interface GitHubTokenCredentials {
  readonly kind: "token";
  readonly token: string;
}

/** What the report needs to reach GitHub. */
export type GitHubCredentials = GitHubAppCredentials | GitHubTokenCredentials;

/** Shown instead of a secret in validation issues. */
const REDACTED = "[redacted]";
const PEM = /^-----BEGIN (?:RSA )?PRIVATE KEY-----[\s\S]+-----END (?:RSA )?PRIVATE KEY-----\s*$/;

/**
 * Validates a secret's JSON value as GitHub credentials: `{ appId, installationId, privateKey }` for an App
 * (ids as numbers or digit strings; `\n` escapes in the key are accepted) or `{ token }`. Issues name the
 * field; secret values are never echoed.
 * @example const creds = parseGitHubCredentials(JSON.parse(secretString), "secret portcullis/github");
 */
export function parseGitHubCredentials(
  value: unknown,
  field = "github credentials",
): Result<GitHubCredentials> {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return fail([
      {
        field,
        value: typeof value,
        message: "must be a JSON object with appId, installationId and privateKey, or token",
      },
    ]);
  const record = value as Record<string, unknown>;
  if ("token" in record && !("privateKey" in record)) return parseToken(record.token, `${field}.token`);
  const issues: ValidationIssue[] = [];
  const appId = positiveId(record.appId, `${field}.appId`, issues);
  const installationId = positiveId(record.installationId, `${field}.installationId`, issues);
  const privateKey =
    typeof record.privateKey === "string" ? record.privateKey.replace(/\\n/g, "\n").trim() : undefined;
  if (privateKey === undefined || !PEM.test(privateKey))
    issues.push({
      field: `${field}.privateKey`,
      value: REDACTED,
      message: "must be the App's PEM private key",
    });
  if (issues.length > 0 || appId === undefined || installationId === undefined || privateKey === undefined)
    return fail(issues);
  return ok({ kind: "app", appId, installationId, privateKey: `${privateKey}\n` });
}

function parseToken(token: unknown, field: string): Result<GitHubCredentials> {
  if (typeof token !== "string" || !/^[A-Za-z0-9_]{20,255}$/.test(token))
    return fail([{ field, value: REDACTED, message: "must be a GitHub token (20–255 letters, digits, _)" }]);
  return ok({ kind: "token", token });
}

function positiveId(value: unknown, field: string, issues: ValidationIssue[]): number | undefined {
  const id = typeof value === "string" && /^\d{1,15}$/.test(value) ? Number(value) : value;
  if (typeof id === "number" && Number.isSafeInteger(id) && id > 0) return id;
  issues.push({ field, value, message: "must be a positive whole number" });
  return undefined;
}
