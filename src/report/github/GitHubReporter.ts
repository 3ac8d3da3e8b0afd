import type { CheckRunRender, CommitStatusRender } from "../CheckRunRender.ts";
import type { ReportTarget } from "../githubRepository.ts";

/** A check run as GitHub returned it (the fields Portcullis uses). */
export interface CheckRunRef {
  readonly id: number;
  readonly name: string;
  readonly headSha: string;
  readonly externalId: string | null;
  readonly status: string;
  readonly conclusion: string | null;
  readonly htmlUrl: string | null;
}

/** How {@link GitHubCheckRuns.createOrUpdateCheckRun} picks an existing run. */
export interface UpsertOptions {
  /** Update this run (a stored id) instead of looking one up. */
  readonly id?: number;
  /** Also take over a run of the same name without our external id (e.g. the build's run). */
  readonly adopt?: (run: CheckRunRef) => boolean;
}

/** Check runs through a GitHub App installation: what the report handler needs. */
export interface GitHubCheckRuns {
  readonly kind: "checks";
  /** The web host repositories live on (github.com, or the Enterprise host): sources elsewhere are not reported. */
  readonly host: string;
  /** Check runs of this name on the target commit (every status). */
  listCheckRuns(target: ReportTarget, name: string): Promise<CheckRunRef[]>;
  /** Creates a run on the target commit; annotations beyond 50 follow in further updates. */
  createCheckRun(target: ReportTarget, run: CheckRunRender): Promise<CheckRunRef>;
  /** Updates a run; annotations are appended by GitHub, 50 per request. */
  updateCheckRun(target: ReportTarget, id: number, run: CheckRunRender): Promise<CheckRunRef>;
  /** Updates the run with the same name and external id on the commit, or creates one. */
  createOrUpdateCheckRun(
    target: ReportTarget,
    run: CheckRunRender,
    options?: UpsertOptions,
  ): Promise<{ readonly run: CheckRunRef; readonly created: boolean }>;
}

/** Commit statuses through a token: the fallback when no GitHub App is configured. */
export interface GitHubCommitStatuses {
  readonly kind: "statuses";
  /** The web host repositories live on. */
  readonly host: string;
  createCommitStatus(target: ReportTarget, status: CommitStatusRender): Promise<void>;
}

/** Where reports go: check runs (App) or commit statuses (token). */
export type GitHubReporter = GitHubCheckRuns | GitHubCommitStatuses;
