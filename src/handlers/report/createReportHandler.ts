import { ValidationError } from "../../core/index.ts";
import { GitHubValidationError } from "../../report/github/index.ts";
import { reportBuildEvent } from "./reportBuild.ts";
import { reportCandidate } from "./reportCandidate.ts";
import { parseReportEvent } from "./reportEvent.ts";
import {
  type ReportContext,
  type ReportHandlerDeps,
  type ReportOptions,
  type ReportResult,
  reportDefaults,
} from "./reportTypes.ts";

export type { ReportHandlerDeps, ReportOptions, ReportResult, ReportSettings } from "./reportTypes.ts";
export { reportDefaults } from "./reportTypes.ts";

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
  const ctx: ReportContext = {
    deps,
    options,
    leaseSeconds: deps.settings.effectLeaseSeconds ?? reportDefaults.effectLeaseSeconds,
  };
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
      if (r.kind === "build") return await reportBuildEvent(ctx, r.build, github);
      return await reportCandidate(ctx, r.key, github, r.rollback);
    } catch (error) {
      if (!(error instanceof GitHubValidationError)) throw error;
      deps.log.error("report: GitHub refused the report", { route: error.route, message: error.message });
      deps.metrics.count("GitHubRefused");
      return { kind: "skipped", reason: error.message };
    }
  };
}
