import type { CommitStatusRender } from "../CheckRunRender.ts";
import type { ReportTarget } from "../githubRepository.ts";
import type { PortcullisOctokit } from "./createOctokit.ts";
import type { GitHubCommitStatuses } from "./GitHubReporter.ts";
import { toGitHubError } from "./toGitHubError.ts";

/**
 * {@link GitHubCommitStatuses} with a token: `POST /repos/{owner}/{repo}/statuses/{sha}` (at most 1000
 * statuses per commit and context; each report adds one). https://docs.github.com/rest/commits/statuses
 * @example await new OctokitCommitStatuses(createOctokit({ kind: "token", token })).createCommitStatus(target, status);
 */
export class OctokitCommitStatuses implements GitHubCommitStatuses {
  readonly kind = "statuses";
  readonly host: string;
  readonly #octokit: PortcullisOctokit;
  readonly #now: () => Date;

  /** `host`: the web host of the API's base URL (see githubHost). */
  constructor(octokit: PortcullisOctokit, host = "github.com", now: () => Date = () => new Date()) {
    this.#octokit = octokit;
    this.host = host;
    this.#now = now;
  }

  async createCommitStatus(target: ReportTarget, status: CommitStatusRender): Promise<void> {
    try {
      await this.#octokit.rest.repos.createCommitStatus({
        owner: target.owner,
        repo: target.repo,
        sha: target.sha,
        state: status.state,
        description: status.description,
        context: status.context,
        ...(status.target_url && { target_url: status.target_url }),
      });
    } catch (error) {
      throw toGitHubError(error, this.#now());
    }
  }
}
