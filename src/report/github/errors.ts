/** What GitHub said about a failed request, with the route (never the token or full URL with query). */
export interface GitHubFailure {
  /** HTTP status, or 0 when no response arrived. */
  readonly status: number;
  /** e.g. `POST /repos/octo/shop/check-runs`. */
  readonly route: string;
  /** GitHub's `message`, when it sent one. */
  readonly githubMessage?: string;
  readonly documentationUrl?: string;
}

/** A GitHub request failed; subclasses say why. `retryable` tells the handler whether a retry can help. */
export class GitHubError extends Error {
  override readonly name: string = "GitHubError";
  readonly status: number;
  readonly route: string;
  readonly githubMessage?: string;
  readonly documentationUrl?: string;
  readonly retryable: boolean = true;

  constructor(message: string, failure: GitHubFailure, options?: { cause?: unknown }) {
    super(message, options);
    this.status = failure.status;
    this.route = failure.route;
    if (failure.githubMessage !== undefined) this.githubMessage = failure.githubMessage;
    if (failure.documentationUrl !== undefined) this.documentationUrl = failure.documentationUrl;
  }
}

/** 403 that is not a rate limit: the App or token lacks a permission, or is not installed for the repository. */
export class GitHubPermissionError extends GitHubError {
  override readonly name = "GitHubPermissionError";
  override readonly retryable = false;
  /** What GitHub says the route needs (`x-accepted-github-permissions`), e.g. `checks=write`. */
  readonly acceptedPermissions?: string;

  constructor(
    failure: GitHubFailure,
    acceptedPermissions: string | undefined,
    options?: { cause?: unknown },
  ) {
    const needs = acceptedPermissions ? `; it needs ${acceptedPermissions}` : "";
    super(
      `GitHub refused ${failure.route} (403 ${failure.githubMessage ?? "Forbidden"}): the App or token lacks a permission or is not installed on this repository${needs}`,
      failure,
      options,
    );
    if (acceptedPermissions !== undefined) this.acceptedPermissions = acceptedPermissions;
  }
}

/** 404: the repository or commit does not exist, or the credentials cannot see it. Not retried. */
export class GitHubNotFoundError extends GitHubError {
  override readonly name = "GitHubNotFoundError";
  override readonly retryable = false;

  constructor(failure: GitHubFailure, options?: { cause?: unknown }) {
    super(
      `GitHub has no ${failure.route.replace(/^\S+ /, "")} (404): the repository or commit is unknown, or the App is not installed on it`,
      failure,
      options,
    );
  }
}

/** 422: GitHub refused the request body (e.g. "No commit found for SHA"). Retrying the same body cannot help. */
export class GitHubValidationError extends GitHubError {
  override readonly name = "GitHubValidationError";
  override readonly retryable = false;
  /** GitHub's `errors` array, as sent. */
  readonly errors: readonly unknown[];

  constructor(failure: GitHubFailure, errors: readonly unknown[], options?: { cause?: unknown }) {
    const detail = errors.length > 0 ? ` ${JSON.stringify(errors).slice(0, 500)}` : "";
    super(
      `GitHub refused ${failure.route} (422 ${failure.githubMessage ?? "Unprocessable Entity"})${detail}`,
      failure,
      options,
    );
    this.errors = errors;
  }
}

/** 403/429 rate limit (primary or secondary) whose wait is longer than the client may sleep. */
export class GitHubRateLimitError extends GitHubError {
  override readonly name = "GitHubRateLimitError";
  /** Seconds GitHub asked to wait. */
  readonly retryAfterSeconds: number;

  constructor(failure: GitHubFailure, retryAfterSeconds: number, options?: { cause?: unknown }) {
    super(
      `GitHub rate limit on ${failure.route} (${failure.status} ${failure.githubMessage ?? ""}): retry after ${retryAfterSeconds} s`.replace(
        " )",
        ")",
      ),
      failure,
      options,
    );
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** Any other failure: 5xx after retries, 401, a network error. */
export class GitHubRequestError extends GitHubError {
  override readonly name = "GitHubRequestError";

  constructor(failure: GitHubFailure, options?: { cause?: unknown }) {
    const what =
      failure.status === 0 ? "no response" : `${failure.status} ${failure.githubMessage ?? ""}`.trim();
    super(`GitHub request ${failure.route} failed (${what})`, failure, options);
  }
}

/** 401: GitHub did not accept the credentials (wrong App id, key or installation, revoked token). */
export class GitHubAuthenticationError extends GitHubError {
  override readonly name = "GitHubAuthenticationError";
  override readonly retryable = false;

  constructor(failure: GitHubFailure, options?: { cause?: unknown }) {
    super(
      `GitHub did not accept the credentials for ${failure.route} (401 ${failure.githubMessage ?? "Unauthorized"}): check the App id, installation id and private key, or the token`,
      failure,
      options,
    );
  }
}
