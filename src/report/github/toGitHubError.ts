import {
  GitHubAuthenticationError,
  GitHubError,
  type GitHubFailure,
  GitHubNotFoundError,
  GitHubPermissionError,
  GitHubRateLimitError,
  GitHubRequestError,
  GitHubValidationError,
} from "./errors.ts";
import { rateLimitWait } from "./rateLimit.ts";

/** The shape of an Octokit RequestError (kept structural: no import of the error class). */
interface RequestErrorLike {
  readonly status?: number;
  readonly request?: { readonly method?: string; readonly url?: string };
  readonly response?: {
    readonly headers?: Readonly<Record<string, string | number | undefined>>;
    readonly data?: unknown;
  };
}

/**
 * The one place a failed GitHub request becomes a {@link GitHubError}: by status (and rate-limit headers),
 * never by message text alone. The route is method + path, without host, query or credentials.
 */
export function toGitHubError(error: unknown, now: Date): GitHubError {
  if (error instanceof GitHubError) return error;
  const e = (typeof error === "object" && error !== null ? error : {}) as RequestErrorLike;
  const status = typeof e.status === "number" ? e.status : 0;
  const data = (
    typeof e.response?.data === "object" && e.response.data !== null ? e.response.data : {}
  ) as Record<string, unknown>;
  const headers = e.response?.headers ?? {};
  const failure: GitHubFailure = {
    status,
    route: routeOf(e.request),
    ...(typeof data.message === "string" && { githubMessage: data.message }),
    ...(typeof data.documentation_url === "string" && { documentationUrl: data.documentation_url }),
  };
  const options = { cause: error };
  const wait = rateLimitWait(
    { status, headers, ...(failure.githubMessage && { message: failure.githubMessage }) },
    now,
  );
  if (wait !== undefined) return new GitHubRateLimitError(failure, wait, options);
  switch (status) {
    case 401:
      return new GitHubAuthenticationError(failure, options);
    case 403: {
      const accepted = headers["x-accepted-github-permissions"];
      return new GitHubPermissionError(
        failure,
        accepted === undefined ? undefined : String(accepted),
        options,
      );
    }
    case 404:
      return new GitHubNotFoundError(failure, options);
    case 422:
      return new GitHubValidationError(failure, Array.isArray(data.errors) ? data.errors : [], options);
    default:
      return new GitHubRequestError(failure, options);
  }
}

function routeOf(request: RequestErrorLike["request"]): string {
  const method = request?.method ?? "?";
  if (!request?.url) return method;
  try {
    return `${method} ${new URL(request.url).pathname}`;
  } catch {
    return `${method} ${request.url.split("?")[0]}`;
  }
}
