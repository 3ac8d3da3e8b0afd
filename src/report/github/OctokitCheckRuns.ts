import { CHECK_RUN_LIMITS, type CheckRunAnnotation, type CheckRunRender } from "../CheckRunRender.ts";
import type { ReportTarget } from "../githubRepository.ts";
import type { PortcullisOctokit } from "./createOctokit.ts";
import type { CheckRunRef, GitHubCheckRuns, UpsertOptions } from "./GitHubReporter.ts";
import { toGitHubError } from "./toGitHubError.ts";
import { upsertCheckRun } from "./upsertCheckRun.ts";

/** Runs listed per page when looking for ours (GitHub's maximum). */
const PER_PAGE = 100;

/**
 * {@link GitHubCheckRuns} on the Checks API with a GitHub App installation token.
 * https://docs.github.com/rest/checks/runs
 * @example
 * const checks = new OctokitCheckRuns(createOctokit(appCredentials, { baseUrl }));
 * await checks.createOrUpdateCheckRun({ owner, repo, sha }, renderCheckRun({ candidate }));
 */
export class OctokitCheckRuns implements GitHubCheckRuns {
  readonly kind = "checks";
  readonly host: string;
  readonly #octokit: PortcullisOctokit;
  readonly #now: () => Date;

  /** `host`: the web host of the API's base URL (see githubHost). */
  constructor(octokit: PortcullisOctokit, host = "github.com", now: () => Date = () => new Date()) {
    this.#octokit = octokit;
    this.host = host;
    this.#now = now;
  }

  async listCheckRuns(target: ReportTarget, name: string): Promise<CheckRunRef[]> {
    const runs = await this.#call(() =>
      this.#octokit.paginate(this.#octokit.rest.checks.listForRef, {
        owner: target.owner,
        repo: target.repo,
        ref: target.sha,
        check_name: name,
        filter: "all",
        per_page: PER_PAGE,
      }),
    );
    return runs.map(toRef);
  }

  async createCheckRun(target: ReportTarget, run: CheckRunRender): Promise<CheckRunRef> {
    const [first = [], ...rest] = batches(run.annotations);
    const created = await this.#call(() =>
      this.#octokit.rest.checks.create({
        owner: target.owner,
        repo: target.repo,
        head_sha: target.sha,
        name: run.name,
        ...requestFields(run, first),
      }),
    );
    const ref = toRef(created.data);
    for (const batch of rest) await this.#update(target, ref.id, run, batch);
    return ref;
  }

  async updateCheckRun(target: ReportTarget, id: number, run: CheckRunRender): Promise<CheckRunRef> {
    const [first = [], ...rest] = batches(run.annotations);
    const ref = await this.#update(target, id, run, first, true);
    for (const batch of rest) await this.#update(target, id, run, batch);
    return ref;
  }

  async createOrUpdateCheckRun(
    target: ReportTarget,
    run: CheckRunRender,
    options: UpsertOptions = {},
  ): Promise<{ run: CheckRunRef; created: boolean }> {
    return upsertCheckRun(this, target, run, options);
  }

  /** One PATCH; `full` sends every field, else only the output with the next annotations. */
  async #update(
    target: ReportTarget,
    id: number,
    run: CheckRunRender,
    annotations: readonly CheckRunAnnotation[],
    full = false,
  ): Promise<CheckRunRef> {
    const fields = requestFields(run, annotations);
    const updated = await this.#call(() =>
      this.#octokit.rest.checks.update({
        owner: target.owner,
        repo: target.repo,
        check_run_id: id,
        ...(full ? { name: run.name, ...fields } : { output: fields.output }),
      }),
    );
    return toRef(updated.data);
  }

  async #call<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw toGitHubError(error, this.#now());
    }
  }
}

/** The body fields shared by create and update (name and head_sha aside). */
function requestFields(run: CheckRunRender, annotations: readonly CheckRunAnnotation[]) {
  return {
    status: run.status,
    external_id: run.external_id,
    ...(run.conclusion && { conclusion: run.conclusion }),
    ...(run.completed_at && { completed_at: run.completed_at }),
    ...(run.details_url && { details_url: run.details_url }),
    output: {
      title: run.title,
      summary: run.summary,
      ...(run.text && { text: run.text }),
      ...(annotations.length > 0 && { annotations: [...annotations] }),
    },
  };
}

function batches(annotations: readonly CheckRunAnnotation[] = []): CheckRunAnnotation[][] {
  const size = CHECK_RUN_LIMITS.annotationsPerRequest;
  const out: CheckRunAnnotation[][] = [];
  for (let i = 0; i < annotations.length; i += size) out.push(annotations.slice(i, i + size));
  return out;
}

interface CheckRunData {
  readonly id: number;
  readonly name: string;
  readonly head_sha: string;
  readonly external_id: string | null;
  readonly status: string;
  readonly conclusion: string | null;
  readonly html_url: string | null;
}

function toRef(data: CheckRunData): CheckRunRef {
  return {
    id: data.id,
    name: data.name,
    headSha: data.head_sha,
    externalId: data.external_id,
    status: data.status,
    conclusion: data.conclusion,
    htmlUrl: data.html_url,
  };
}
