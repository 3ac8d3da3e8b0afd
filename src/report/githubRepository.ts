import { fail, ok, type Result } from "../core/index.ts";

/** A GitHub repository and the commit a report is about. */
export interface ReportTarget {
  readonly owner: string;
  readonly repo: string;
  /** The full commit id (40 hex, or 64 for SHA-256 repositories). */
  readonly sha: string;
}

const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const REPO = /^[A-Za-z0-9._-]{1,100}$/;
const SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
const FORMS = [
  /^https?:\/\/(?:[^@/]+@)?(?<host>[^/:]+)(?::\d+)?\/(?<owner>[^/]+)\/(?<repo>[^/]+?)(?:\.git)?\/?$/,
  /^ssh:\/\/[^@/]+@(?<host>[^/:]+)(?::\d+)?\/(?<owner>[^/]+)\/(?<repo>[^/]+?)(?:\.git)?\/?$/,
  /^[^@/]+@(?<host>[^:/]+):(?<owner>[^/]+)\/(?<repo>[^/]+?)(?:\.git)?\/?$/,
];

/**
 * Where to report a candidate: owner/repo from its source URL (https, ssh or scp-like form), the commit
 * from its revision. When `host` is given (github.com, or a GitHub Enterprise host) a source on another
 * host is refused, so a label pointing elsewhere never files a check on a same-named repository.
 * @example reportTarget({ source: "https://github.com/octo/shop", revision }, "github.com")
 * // => { ok: true, value: { owner: "octo", repo: "shop", sha: revision } }
 */
export function reportTarget(
  git: { readonly source?: string; readonly revision?: string },
  host?: string,
): Result<ReportTarget> {
  const { source, revision } = git;
  if (!source)
    return fail([{ field: "git.source", value: source, message: "is required to report to GitHub" }]);
  if (!revision || !SHA.test(revision))
    return fail([{ field: "git.revision", value: revision, message: "must be a full lowercase commit id" }]);
  const match = FORMS.map((form) => form.exec(source)?.groups).find((groups) => groups !== undefined);
  if (!match?.owner || !match.repo || !OWNER.test(match.owner) || !REPO.test(match.repo))
    return fail([
      {
        field: "git.source",
        value: source,
        message: "must be a repository URL like https://github.com/OWNER/REPO",
      },
    ]);
  if (host !== undefined && match.host?.toLowerCase() !== host.toLowerCase())
    return fail([
      { field: "git.source", value: source, message: `must be on ${host}, the configured GitHub host` },
    ]);
  return ok({ owner: match.owner, repo: match.repo, sha: revision });
}

/**
 * The web host of a GitHub API base URL: the API host without its `api.` label (api.github.com → github.com,
 * api.acme.ghe.com → acme.ghe.com), else the host itself (GitHub Enterprise Server serves both on one host).
 * @example githubHost("https://ghe.example.com/api/v3") // => "ghe.example.com"
 */
export function githubHost(apiBaseUrl: string): string {
  const host = new URL(apiBaseUrl).hostname.toLowerCase();
  return host.startsWith("api.") ? host.slice("api.".length) : host;
}
