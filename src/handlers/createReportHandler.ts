import { ValidationError } from "../core/index.ts";
import type { Candidate } from "../release/index.ts";
import { type GitHubReporter, GitHubValidationError } from "../report/github/index.ts";
import {
  type CheckRunRender,
  type CommitState,
  type CommitStatusRender,
  checkRunName,
  isBuildExternalId,
  type ReportTarget,
  renderCheckRun,
  renderCommitStatus,
  reportTarget,
  statusContext,
} from "../report/index.ts";
import type { Clock, Log, MetricsSink } from "./ports.ts";
import { type BuildReport, reportBuildRun, reportBuildStatus } from "./reportBuild.ts";
import {
  ANNOTATIONS_EFFECT,
  type ReportStore,
  release,
  type UpsertDeps,
  upsertCheckRun,
} from "./reportCheckRun.ts";
import { parseReportEvent, type ReportScope } from "./reportEvent.ts";

/** The ports the report handler takes. */
export interface ReportHandlerDeps {
  readonly store: ReportStore;
  /**
   * Where reports go, resolved on every invocation (so rotated secrets apply): check runs for a GitHub App,
   * commit statuses for a token, `undefined` when GitHub is not configured (the handler then only renders).
   * See gitHubReporterProvider.
   */
  readonly github: () => Promise<GitHubReporter | undefined>;
  readonly clock: Clock;
  readonly log: Log;
  readonly metrics: MetricsSink;
  readonly settings: ReportSettings;
  readonly options?: Partial<ReportOptions>;
}

/** The settings the report handler reads (field names shared with the other handlers' settings). */
export interface ReportSettings extends ReportScope {
  /** How long a claim (creating the check run) is held before another invocation may take it over. */
  readonly effectLeaseSeconds?: number;
}

/** How the report handler renders and waits. */
export interface ReportOptions {
  /** Check names are `<prefix>: <repository>`. */
  readonly checkNamePrefix: string;
  /** Commit-status contexts are `<prefix>/<repository>`. */
  readonly statusContextPrefix: string;
  /** Attach blocking findings to this file of the repository (e.g. `Dockerfile`); none when absent. */
  readonly annotationPath?: string;
  /** The check run's "Details" link (e.g. the image in the ECR console). */
  readonly detailsUrl?: (candidate: Candidate) => string | undefined;
  /** The web host sources must be on; defaults to the reporter's (from its API base URL). */
  readonly githubHost?: string;
  /** Renders per invocation when the candidate changes meanwhile (the last write shows the latest state). */
  readonly maxPasses: number;
  /** Claim attempts while another invocation creates the run, and the wait between them. */
  readonly busyRetries: number;
  readonly busyWaitMs: number;
  readonly sleep: (ms: number) => Promise<void>;
}

/** Defaults of {@link ReportOptions} and of the optional settings. */
export const reportDefaults = {
  checkNamePrefix: "Portcullis",
  statusContextPrefix: "portcullis",
  maxPasses: 3,
  busyRetries: 5,
  busyWaitMs: 1000,
  sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
  effectLeaseSeconds: 60,
} as const;

/** What one invocation did. */
export type ReportResult =
  | { readonly kind: "refused"; readonly field: string; readonly value: unknown; readonly reason: string }
  | { readonly kind: "ignored"; readonly reason: string }
  | { readonly kind: "skipped"; readonly reason: string }
  | {
      readonly kind: "rendered";
      readonly checkRun: CheckRunRender;
      readonly commitStatus: CommitStatusRender;
    }
  | { readonly kind: "check-run"; readonly id: number; readonly created: boolean; readonly status: string }
  | { readonly kind: "commit-status"; readonly state: CommitState | string };

/**
 * Makes the handler that reports to GitHub: on a build's start or failure (CodeBuild), and on each Portcullis
 * event that changes a candidate (registered, decided, promoted, replicated, replication failed), it loads the
 * candidate, renders it, and creates or updates the candidate's one check run (GitHub App) or posts a commit
 * status (token). Exactly one run per candidate under redelivery and races (see upsertCheckRun); if the
 * candidate changed while reporting, the newer state is rendered again. Without GitHub it returns the
 * rendering. An invalid event throws ValidationError; 422 from GitHub is logged and skipped (retrying the same
 * body cannot help); other GitHub errors are thrown for Lambda to retry.
 * @example
 * const handler = createReportHandler({ store, github: gitHubReporterProvider(loadCredentials, { baseUrl }), clock, log, metrics, settings });
 * await handler(releaseDecidedEvent); // => { kind: "check-run", id: 42, created: false, status: "completed" }
 */
export function createReportHandler(deps: ReportHandlerDeps): (event: unknown) => Promise<ReportResult> {
  const options: ReportOptions = { ...reportDefaults, ...deps.options };
  const leaseSeconds = deps.settings.effectLeaseSeconds ?? reportDefaults.effectLeaseSeconds;
  return async function report(event: unknown): Promise<ReportResult> {
    const request = parseReportEvent(event, deps.settings);
    if (!request.ok) throw new ValidationError("report event", request.error);
    const r = request.value;
    if (r.kind === "refused" || r.kind === "ignored") {
      deps.log[r.kind === "refused" ? "warn" : "debug"](`report: event ${r.kind}`, { ...r });
      return r;
    }
    const github = await deps.github();
    try {
      if (r.kind === "build") return await reportBuild(r.build, github);
      return await reportCandidate(r.key, github);
    } catch (error) {
      if (!(error instanceof GitHubValidationError)) throw error;
      deps.log.error("report: GitHub refused the report", { route: error.route, message: error.message });
      deps.metrics.count("GitHubRefused");
      return { kind: "skipped", reason: error.message };
    }
  };

  async function reportCandidate(
    key: Candidate["key"],
    github: GitHubReporter | undefined,
  ): Promise<ReportResult> {
    let candidate = await deps.store.getCandidate(key);
    if (candidate === undefined) return skipped("no such candidate", { ...key });
    if (github === undefined)
      return { kind: "rendered", checkRun: render(candidate), commitStatus: status(candidate) };
    const target = targetOf(candidate, github);
    if (!target.ok) return skipped(target.reason, { ...key });
    let result: ReportResult = skipped("nothing reported", { ...key });
    for (let pass = 0; pass < options.maxPasses; pass++) {
      result =
        github.kind === "checks"
          ? await checkRun(candidate, target.value, github)
          : await commitStatus(candidate, target.value, github);
      const latest = await deps.store.getCandidate(key);
      if (latest === undefined || latest.version === candidate.version) break;
      candidate = latest;
    }
    return result;
  }

  async function checkRun(
    candidate: Candidate,
    target: ReportTarget,
    github: GitHubReporter & { kind: "checks" },
  ) {
    const run = render(candidate);
    const withAnnotations = run.annotations ? await claimAnnotations(candidate) : false;
    const sent = withAnnotations ? run : { ...run, annotations: undefined };
    let result: Awaited<ReturnType<typeof upsertCheckRun>>;
    try {
      result = await upsertCheckRun(upsertDeps(github), candidate.key, target, sent, isOpenBuildRun);
    } catch (error) {
      if (withAnnotations) await release(deps, candidate.key, ANNOTATIONS_EFFECT);
      throw error;
    }
    if (withAnnotations)
      await deps.store.completeEffect(candidate.key, ANNOTATIONS_EFFECT, run.annotations?.length ?? 0);
    deps.metrics.count(result.created ? "CheckRunCreated" : "CheckRunUpdated");
    deps.log.info("report: check run written", {
      ...candidate.key,
      id: result.run.id,
      created: result.created,
      title: run.title,
    });
    return {
      kind: "check-run",
      id: result.run.id,
      created: result.created,
      status: result.run.status,
    } as const;
  }

  async function claimAnnotations(candidate: Candidate): Promise<boolean> {
    const claim = await deps.store.claimEffect(candidate.key, ANNOTATIONS_EFFECT, {
      now: deps.clock.now(),
      leaseSeconds,
    });
    return claim.kind === "claimed";
  }

  async function commitStatus(
    candidate: Candidate,
    target: ReportTarget,
    github: GitHubReporter & { kind: "statuses" },
  ) {
    const rendered = status(candidate);
    await github.createCommitStatus(target, rendered);
    deps.metrics.count("CommitStatusPosted");
    deps.log.info("report: commit status posted", { ...candidate.key, state: rendered.state });
    return { kind: "commit-status", state: rendered.state } as const;
  }

  async function reportBuild(
    build: Parameters<typeof reportBuildRun>[1],
    github: GitHubReporter | undefined,
  ): Promise<ReportResult> {
    const target = reportTarget(
      { source: build.source, revision: build.commit },
      options.githubHost ?? github?.host,
    );
    if (github === undefined) return { kind: "skipped", reason: "GitHub is not configured" };
    if (!target.ok)
      return skipped(target.error.map((i) => `${i.field} ${i.message}`).join("; "), { ...build });
    const result: BuildReport =
      github.kind === "checks"
        ? await reportBuildRun(
            upsertDeps(github),
            build,
            target.value,
            checkRunName(build.repository, options.checkNamePrefix),
          )
        : await reportBuildStatus(
            { ...upsertDeps(github), github },
            build,
            target.value,
            statusContext(build.repository, options.statusContextPrefix),
          );
    if (result.kind === "skipped") return skipped(result.reason, { ...build });
    deps.log.info("report: build reported", {
      repository: build.repository,
      commit: build.commit,
      status: build.status,
    });
    return result.kind === "check-run" ? { ...result, status: build.status } : result;
  }

  function render(candidate: Candidate): CheckRunRender {
    const detailsUrl = options.detailsUrl?.(candidate);
    return renderCheckRun({
      candidate,
      name: checkRunName(candidate.key.repository, options.checkNamePrefix),
      ...(detailsUrl && { detailsUrl }),
      ...(options.annotationPath && { annotationPath: options.annotationPath }),
    });
  }

  function status(candidate: Candidate): CommitStatusRender {
    const targetUrl = options.detailsUrl?.(candidate);
    return renderCommitStatus({
      candidate,
      context: statusContext(candidate.key.repository, options.statusContextPrefix),
      ...(targetUrl && { targetUrl }),
    });
  }

  function targetOf(candidate: Candidate, github: GitHubReporter) {
    const target = reportTarget(candidate.git, options.githubHost ?? github.host);
    if (target.ok) return { ok: true as const, value: target.value };
    return {
      ok: false as const,
      reason: target.error.map((i) => `${i.field} ${JSON.stringify(i.value)} ${i.message}`).join("; "),
    };
  }

  function upsertDeps<G extends GitHubReporter>(github: G): Omit<UpsertDeps, "github"> & { github: G } {
    return { ...options, store: deps.store, github, clock: deps.clock, log: deps.log, leaseSeconds };
  }

  function skipped(reason: string, fields: Record<string, unknown>): ReportResult {
    deps.log.warn(`report: skipped: ${reason}`, fields);
    deps.metrics.count("ReportSkipped");
    return { kind: "skipped", reason };
  }
}

/** A build's run still open: a candidate of the same commit and name takes it over. */
function isOpenBuildRun(run: { readonly externalId: string | null; readonly status: string }): boolean {
  return isBuildExternalId(run.externalId) && run.status !== "completed";
}
