import type { CandidateKey, Clock, Log } from "../../core/index.ts";
import type { Candidate } from "../../release/index.ts";
import type { CheckRunRef, GitHubCheckRuns } from "../../report/github/index.ts";
import type { CheckRunRender, ReportTarget } from "../../report/index.ts";
import type { ReleaseStore } from "../../store/index.ts";
import { type RunOnceDeps, runOnce } from "../effects/runOnce.ts";
import { CheckRunBusyError } from "./reportErrors.ts";

/** The store calls the report handler makes. */
export type ReportStore = Pick<
  ReleaseStore<Candidate>,
  "getCandidate" | "claimEffect" | "completeEffect" | "releaseEffect"
>;

/** The effect whose result is the check run's id: claimed by whoever creates the run. */
export const CHECK_RUN_EFFECT = "check-run";
/** The effect of sending a run's annotations (GitHub appends them, so they go once). */
export const ANNOTATIONS_EFFECT = "check-run-annotations";

/** What {@link upsertCheckRun} needs. */
export interface UpsertDeps {
  readonly store: ReportStore;
  readonly github: GitHubCheckRuns;
  readonly clock: Clock;
  readonly log: Log;
  readonly leaseSeconds: number;
  /** Claim attempts while another invocation is creating the run, and the wait between them. */
  readonly busyRetries: number;
  readonly busyWaitMs: number;
  readonly sleep: (ms: number) => Promise<void>;
}

/** The check run's id as stored in the effect's result. */
export interface StoredCheckRun {
  readonly id: number;
  readonly url: string | null;
}

/**
 * Creates or updates the one check run of `key`, never two: the creator claims "check-run" and stores the
 * run's id as the claim's result; later invocations update by that id; one that finds the claim held waits
 * for it (then updates), or fails with {@link CheckRunBusyError} so Lambda retries. The creator still looks
 * the run up by name and external id first (and `adopt`s a build's run), so a lost result cannot duplicate.
 * @example await upsertCheckRun(deps, candidate.key, target, renderCheckRun({ candidate }), isBuildRun)
 */
export async function upsertCheckRun(
  deps: UpsertDeps,
  key: CandidateKey,
  target: ReportTarget,
  run: CheckRunRender,
  adopt?: (existing: CheckRunRef) => boolean,
): Promise<{ run: CheckRunRef; created: boolean }> {
  const once = await runOnce(
    claimDeps(deps),
    key,
    CHECK_RUN_EFFECT,
    () => deps.github.createOrUpdateCheckRun(target, run, adopt && { adopt }),
    {
      wait: {
        retries: deps.busyRetries,
        waitMs: deps.busyWaitMs,
        sleep: deps.sleep,
        busy: (leaseUntil) => new CheckRunBusyError(key, leaseUntil),
      },
      record: (result) => ({ id: result.run.id, url: result.run.htmlUrl }) satisfies StoredCheckRun,
    },
  );
  if (once.kind === "performed") return once.result;
  const stored = storedCheckRun(once.result);
  if (stored) return { run: await deps.github.updateCheckRun(target, stored.id, run), created: false };
  return deps.github.createOrUpdateCheckRun(target, run, adopt && { adopt });
}

/** The report's deps as {@link runOnce} takes them. */
export function claimDeps(deps: Pick<UpsertDeps, "store" | "clock" | "log" | "leaseSeconds">): RunOnceDeps {
  return {
    store: deps.store,
    clock: deps.clock,
    log: deps.log,
    settings: { effectLeaseSeconds: deps.leaseSeconds },
  };
}

/** Reads a stored effect result as a check run id. */
export function storedCheckRun(result: unknown): StoredCheckRun | undefined {
  const value = result as { id?: unknown; url?: unknown } | null | undefined;
  if (typeof value?.id !== "number" || !Number.isSafeInteger(value.id)) return undefined;
  return { id: value.id, url: typeof value.url === "string" ? value.url : null };
}
