import type { CheckRunRender } from "../CheckRunRender.ts";
import type { ReportTarget } from "../githubRepository.ts";
import type { CheckRunRef, GitHubCheckRuns, UpsertOptions } from "./GitHubReporter.ts";

/**
 * {@link GitHubCheckRuns.createOrUpdateCheckRun} in terms of the other three calls, for every implementation
 * (GitHub's, and the local pipeline's files): the stored id if given, else the run of that name carrying our
 * external id, else one `adopt` accepts, is updated; otherwise a run is created.
 * @example await upsertCheckRun(this, target, render, { adopt: (run) => run.externalId === undefined })
 */
export async function upsertCheckRun(
  checks: Pick<GitHubCheckRuns, "listCheckRuns" | "createCheckRun" | "updateCheckRun">,
  target: ReportTarget,
  render: CheckRunRender,
  options: UpsertOptions = {},
): Promise<{ run: CheckRunRef; created: boolean }> {
  if (options.id !== undefined)
    return { run: await checks.updateCheckRun(target, options.id, render), created: false };
  const existing = await checks.listCheckRuns(target, render.name);
  const ours =
    existing.find((run) => run.externalId === render.external_id) ??
    existing.find((run) => options.adopt?.(run));
  if (ours) return { run: await checks.updateCheckRun(target, ours.id, render), created: false };
  return { run: await checks.createCheckRun(target, render), created: true };
}
