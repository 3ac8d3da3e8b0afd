import { clientPerSecret } from "../../core/clientPerSecret.ts";
import { githubHost } from "../githubRepository.ts";
import { createOctokit, type GitHubClientOptions, gitHubClientDefaults } from "./createOctokit.ts";
import type { GitHubCredentials } from "./GitHubCredentials.ts";
import type { GitHubReporter } from "./GitHubReporter.ts";
import { OctokitCheckRuns } from "./OctokitCheckRuns.ts";
import { OctokitCommitStatuses } from "./OctokitCommitStatuses.ts";

/**
 * The reporter for a set of credentials: check runs for a GitHub App, commit statuses for a token.
 * @example const github = createGitHubReporter({ kind: "app", appId, installationId, privateKey }, { baseUrl });
 */
export function createGitHubReporter(
  credentials: GitHubCredentials,
  options: GitHubClientOptions = {},
): GitHubReporter {
  const octokit = createOctokit(credentials, options);
  const now = options.now ?? (() => new Date());
  const host = githubHost(options.baseUrl ?? gitHubClientDefaults.baseUrl);
  return credentials.kind === "app"
    ? new OctokitCheckRuns(octokit, host, now)
    : new OctokitCommitStatuses(octokit, host, now);
}

/**
 * A reporter provider for handlers: loads the credentials on every call (the loader caches, e.g. Powertools
 * `getSecret` with `maxAge`), and reuses one client while they stay the same, so auth-app's installation-token
 * cache survives across invocations; rotated credentials get a new client. `undefined` from the loader means
 * "GitHub not configured".
 * @example
 * const github = gitHubReporterProvider(async () => {
 *   const parsed = parseGitHubCredentials(await getSecret(name, { transform: "json", maxAge: 300 }));
 *   if (!parsed.ok) throw new ValidationError("GitHub secret", parsed.error);
 *   return parsed.value;
 * }, { baseUrl });
 */
export function gitHubReporterProvider(
  load: () => Promise<GitHubCredentials | undefined>,
  options: GitHubClientOptions = {},
): () => Promise<GitHubReporter | undefined> {
  return clientPerSecret(
    load,
    (credentials) => createGitHubReporter(credentials, options),
    (credentials) => JSON.stringify(credentials),
  );
}
