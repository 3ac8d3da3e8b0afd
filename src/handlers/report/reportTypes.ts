import type { Clock, Log, MetricsSink } from "../../core/index.ts";
import type { Candidate } from "../../release/index.ts";
import type { GitHubReporter } from "../../report/github/index.ts";
import type { CheckRunRender, CommitState, CommitStatusRender } from "../../report/index.ts";
import type { ReportStore, UpsertDeps } from "./reportCheckRun.ts";
import type { ReportScope } from "./reportEvent.ts";

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
  /** Say in the check run that the decision is signed, and how to verify it: the region's registry and key flag. */
  readonly attestation?: { readonly registry: (region: string) => string; readonly keyFlag: string };
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

/** What the report handler's parts share: its deps, resolved options and lease. */
export interface ReportContext {
  readonly deps: ReportHandlerDeps;
  readonly options: ReportOptions;
  readonly leaseSeconds: number;
}

/** The context {@link upsertCheckRun} and the build reports take, for this reporter. */
export function upsertDeps<G extends GitHubReporter>(
  ctx: ReportContext,
  github: G,
): Omit<UpsertDeps, "github"> & { readonly github: G } {
  const { deps, options, leaseSeconds } = ctx;
  return { ...options, store: deps.store, github, clock: deps.clock, log: deps.log, leaseSeconds };
}

/** Logs and counts a report that could not be made, and says why. */
export function skipped(ctx: ReportContext, reason: string, fields: Record<string, unknown>): ReportResult {
  ctx.deps.log.warn(`report: skipped: ${reason}`, fields);
  ctx.deps.metrics.count("ReportSkipped");
  return { kind: "skipped", reason };
}
