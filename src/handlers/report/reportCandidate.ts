import type { CandidateKey } from "../../core/index.ts";
import type { Candidate } from "../../release/index.ts";
import type { GitHubCheckRuns, GitHubCommitStatuses, GitHubReporter } from "../../report/github/index.ts";
import {
  type CheckRunRender,
  type CommitStatusRender,
  checkRunName,
  isBuildExternalId,
  type ReportTarget,
  type RollbackNotice,
  renderCheckRun,
  renderCommitStatus,
  reportTarget,
  statusContext,
} from "../../report/index.ts";
import { runOnce } from "../effects/runOnce.ts";
import { ANNOTATIONS_EFFECT, claimDeps, upsertCheckRun } from "./reportCheckRun.ts";
import { type ReportContext, type ReportResult, skipped, upsertDeps } from "./reportTypes.ts";

/**
 * Reports a candidate: loads it, renders it and writes its check run (or commit status); if the candidate
 * changed meanwhile (another handler moved it on), renders the newer state again, so the last write shows the
 * latest state. Without GitHub, returns the rendering.
 */
export async function reportCandidate(
  ctx: ReportContext,
  key: CandidateKey,
  github: GitHubReporter | undefined,
  rollback?: RollbackNotice,
): Promise<ReportResult> {
  const { store } = ctx.deps;
  let candidate = await store.getCandidate(key);
  if (candidate === undefined) return skipped(ctx, "no such candidate", { ...key });
  if (github === undefined)
    return {
      kind: "rendered",
      checkRun: render(ctx, candidate, rollback),
      commitStatus: status(ctx, candidate, rollback),
    };
  const target = reportTarget(candidate.git, ctx.options.githubHost ?? github.host);
  if (!target.ok) {
    const reason = target.error.map((i) => `${i.field} ${JSON.stringify(i.value)} ${i.message}`).join("; ");
    return skipped(ctx, reason, { ...key });
  }
  let result: ReportResult = { kind: "skipped", reason: "nothing reported" };
  for (let pass = 0; pass < ctx.options.maxPasses; pass++) {
    result =
      github.kind === "checks"
        ? await writeCheckRun(ctx, candidate, target.value, github, rollback)
        : await postCommitStatus(ctx, candidate, target.value, github, rollback);
    const latest = await store.getCandidate(key);
    if (latest === undefined || latest.version === candidate.version) break;
    candidate = latest;
  }
  return result;
}

/** Creates or updates the candidate's check run; annotations go with the first write that has them, once. */
async function writeCheckRun(
  ctx: ReportContext,
  candidate: Candidate,
  target: ReportTarget,
  github: GitHubCheckRuns,
  rollback: RollbackNotice | undefined,
): Promise<ReportResult> {
  const { deps } = ctx;
  const run = render(ctx, candidate, rollback);
  const result = await upsertOnce(ctx, candidate, target, github, run);
  deps.metrics.count(result.created ? "CheckRunCreated" : "CheckRunUpdated");
  deps.log.info("report: check run written", {
    ...candidate.key,
    id: result.run.id,
    created: result.created,
    title: run.title,
  });
  return { kind: "check-run", id: result.run.id, created: result.created, status: result.run.status };
}

/** Upserts the run; its annotations only under their claim (GitHub appends them, so they go once). */
async function upsertOnce(
  ctx: ReportContext,
  candidate: Candidate,
  target: ReportTarget,
  github: GitHubCheckRuns,
  run: CheckRunRender,
): Promise<Awaited<ReturnType<typeof upsertCheckRun>>> {
  const deps = upsertDeps(ctx, github);
  const upsert = (sent: CheckRunRender) => upsertCheckRun(deps, candidate.key, target, sent, isOpenBuildRun);
  if (run.annotations) {
    const once = await runOnce(claimDeps(deps), candidate.key, ANNOTATIONS_EFFECT, () => upsert(run), {
      record: () => run.annotations?.length ?? 0,
    });
    if (once.kind === "performed") return once.result;
  }
  return upsert({ ...run, annotations: undefined });
}

async function postCommitStatus(
  ctx: ReportContext,
  candidate: Candidate,
  target: ReportTarget,
  github: GitHubCommitStatuses,
  rollback: RollbackNotice | undefined,
): Promise<ReportResult> {
  const rendered = status(ctx, candidate, rollback);
  await github.createCommitStatus(target, rendered);
  ctx.deps.metrics.count("CommitStatusPosted");
  ctx.deps.log.info("report: commit status posted", { ...candidate.key, state: rendered.state });
  return { kind: "commit-status", state: rendered.state };
}

function render(ctx: ReportContext, candidate: Candidate, rollback?: RollbackNotice): CheckRunRender {
  const { options } = ctx;
  const detailsUrl = options.detailsUrl?.(candidate);
  return renderCheckRun({
    candidate,
    now: ctx.deps.clock.now(),
    ...(rollback && { rollback }),
    name: checkRunName(candidate.key.repository, options.checkNamePrefix),
    ...(detailsUrl && { detailsUrl }),
    ...(options.annotationPath && { annotationPath: options.annotationPath }),
    ...(options.attestation && {
      attestation: {
        registry: options.attestation.registry(candidate.key.region),
        keyFlag: options.attestation.keyFlag,
      },
    }),
  });
}

function status(ctx: ReportContext, candidate: Candidate, rollback?: RollbackNotice): CommitStatusRender {
  const targetUrl = ctx.options.detailsUrl?.(candidate);
  return renderCommitStatus({
    candidate,
    ...(rollback && { rollback }),
    context: statusContext(candidate.key.repository, ctx.options.statusContextPrefix),
    ...(targetUrl && { targetUrl }),
  });
}

/** A build's run still open: a candidate of the same commit and name takes it over. */
function isOpenBuildRun(run: { readonly externalId: string | null; readonly status: string }): boolean {
  return isBuildExternalId(run.externalId) && run.status !== "completed";
}
