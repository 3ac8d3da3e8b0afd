import { createHash } from "node:crypto";
import type { CandidateKey, Digest } from "../../core/index.ts";
import type { GitHubCheckRuns, GitHubCommitStatuses, GitHubReporter } from "../../report/github/index.ts";
import {
  type BuildFacts,
  type CheckRunRender,
  checkRunName,
  isBuildExternalId,
  type ReportTarget,
  renderBuildCheckRun,
  renderCommitStatus,
  reportTarget,
  statusContext,
} from "../../report/index.ts";
import { runOnce } from "../effects/runOnce.ts";
import {
  CHECK_RUN_EFFECT,
  claimDeps,
  type StoredCheckRun,
  storedCheckRun,
  type UpsertDeps,
} from "./reportCheckRun.ts";
import { CheckRunBusyError } from "./reportErrors.ts";
import { type ReportContext, type ReportResult, skipped, upsertDeps } from "./reportTypes.ts";

/** What reporting a build did. */
export type BuildReport =
  | { readonly kind: "check-run"; readonly id: number; readonly created: boolean }
  | { readonly kind: "commit-status"; readonly state: string }
  | { readonly kind: "skipped"; readonly reason: string };

/**
 * The store key a build's claims live under (a build has no index digest yet): the build's region and
 * repository, and a digest derived from its commit. It never collides with a real candidate's.
 */
export function buildKey(build: Pick<BuildFacts, "region" | "repository" | "commit">): CandidateKey {
  const digest =
    `sha256:${createHash("sha256").update(`portcullis-build\0${build.commit}`).digest("hex")}` as Digest;
  return { region: build.region, repository: build.repository, digest };
}

const FAILED = new Set(["FAILED", "FAULT", "TIMED_OUT", "STOPPED"]);

/**
 * Reports a build that has no candidate yet. Started: opens one in-progress run for the commit (only if the
 * commit has no run of this name at all, so a late start never reopens a finished report; the jobs of a batch
 * share one run through the claim). Failed: completes the build's run as failed, or creates a failed one; a
 * run a candidate has taken over is left alone.
 */
export async function reportBuildRun(
  deps: BuildRunDeps,
  build: BuildFacts,
  target: ReportTarget,
  name: string,
): Promise<BuildReport> {
  const key = buildKey(build);
  const run: BuildRun = {
    key,
    target,
    name,
    render: renderBuildCheckRun(build, name),
    failed: FAILED.has(build.status),
  };
  const once = await runOnce(claimDeps(deps), key, CHECK_RUN_EFFECT, () => openOrFailRun(deps, run), {
    record: (opened) => opened.stored,
  });
  if (once.kind === "performed") return once.result.report;
  if (once.kind === "done") return failOpenRun(deps, run, storedCheckRun(once.result)?.id);
  if (!run.failed) return { kind: "skipped", reason: "another job of the build is opening the run" };
  throw new CheckRunBusyError(key, once.leaseUntil);
}

type BuildRunDeps = Omit<UpsertDeps, "github"> & { readonly github: GitHubCheckRuns };

/** One build report in progress: where it goes and what it shows. */
interface BuildRun {
  readonly key: CandidateKey;
  readonly target: ReportTarget;
  readonly name: string;
  readonly render: CheckRunRender;
  readonly failed: boolean;
}

/** The run exists (its id stored): a failure completes it, unless a candidate took it over or it finished. */
async function failOpenRun(deps: BuildRunDeps, run: BuildRun, id: number | undefined): Promise<BuildReport> {
  if (!run.failed) return { kind: "skipped", reason: "the build's run is open already" };
  const runs = await deps.github.listCheckRuns(run.target, run.name);
  const open = runs.find((r) => r.id === id);
  if (!open || !isBuildExternalId(open.externalId) || open.status === "completed")
    return { kind: "skipped", reason: "the build's run was taken over or finished" };
  await deps.github.updateCheckRun(run.target, open.id, run.render);
  return { kind: "check-run", id: open.id, created: false };
}

/** Under the claim: adopt an open build run (completing it on failure), leave any other run, or create one. */
async function openOrFailRun(
  deps: BuildRunDeps,
  run: BuildRun,
): Promise<{ report: BuildReport; stored: StoredCheckRun }> {
  const runs = await deps.github.listCheckRuns(run.target, run.name);
  const open = runs.find((r) => isBuildExternalId(r.externalId) && r.status !== "completed");
  const existing = open ?? runs[0];
  if (existing) {
    if (open && run.failed) await deps.github.updateCheckRun(run.target, open.id, run.render);
    return {
      stored: { id: existing.id, url: existing.htmlUrl },
      report:
        open && run.failed
          ? { kind: "check-run", id: open.id, created: false }
          : { kind: "skipped", reason: "the commit has a run of this name already" },
    };
  }
  const created = await deps.github.createCheckRun(run.target, run.render);
  return {
    stored: { id: created.id, url: created.htmlUrl },
    report: { kind: "check-run", id: created.id, created: true },
  };
}

/** Reports a build as a commit status: pending once per build (claimed), failure whenever it fails. */
export async function reportBuildStatus(
  deps: Pick<UpsertDeps, "store" | "clock" | "log" | "leaseSeconds"> & {
    readonly github: GitHubCommitStatuses;
  },
  build: BuildFacts,
  target: ReportTarget,
  context: string,
): Promise<BuildReport> {
  const status = renderCommitStatus({ build, context });
  if (FAILED.has(build.status)) {
    await deps.github.createCommitStatus(target, status);
    return { kind: "commit-status", state: status.state };
  }
  const key = buildKey(build);
  const once = await runOnce(
    claimDeps(deps),
    key,
    "commit-status",
    () => deps.github.createCommitStatus(target, status),
    { record: () => ({ state: status.state }) },
  );
  if (once.kind !== "performed")
    return { kind: "skipped", reason: "the build's pending status was posted already" };
  return { kind: "commit-status", state: status.state };
}

/** Reports a CodeBuild state change of a Portcullis build: a check run (App) or a commit status (token). */
export async function reportBuildEvent(
  ctx: ReportContext,
  build: BuildFacts,
  github: GitHubReporter | undefined,
): Promise<ReportResult> {
  if (github === undefined) return { kind: "skipped", reason: "GitHub is not configured" };
  const { options } = ctx;
  const target = reportTarget(
    { source: build.source, revision: build.commit },
    options.githubHost ?? github.host,
  );
  if (!target.ok)
    return skipped(ctx, target.error.map((i) => `${i.field} ${i.message}`).join("; "), { ...build });
  const result: BuildReport =
    github.kind === "checks"
      ? await reportBuildRun(
          upsertDeps(ctx, github),
          build,
          target.value,
          checkRunName(build.repository, options.checkNamePrefix),
        )
      : await reportBuildStatus(
          upsertDeps(ctx, github),
          build,
          target.value,
          statusContext(build.repository, options.statusContextPrefix),
        );
  if (result.kind === "skipped") return skipped(ctx, result.reason, { ...build });
  ctx.deps.log.info("report: build reported", {
    repository: build.repository,
    commit: build.commit,
    status: build.status,
  });
  return result.kind === "check-run" ? { ...result, status: build.status } : result;
}
