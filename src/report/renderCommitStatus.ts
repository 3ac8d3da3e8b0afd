import type { Candidate } from "../release/index.ts";
import type { BuildFacts } from "./buildFacts.ts";
import type { CommitState, CommitStatusRender } from "./CheckRunRender.ts";
import { candidateHeadline, type ReportStage } from "./candidateHeadline.ts";
import { statusContext } from "./checkRunName.ts";
import { clipLine } from "./fitText.ts";
import { safeUrl } from "./markdown.ts";
import { type RollbackNotice, rollbackTitle } from "./renderCheckRun.ts";

/** GitHub's limit on a commit status description. */
export const MAX_STATUS_DESCRIPTION = 140;

const STATES: Record<ReportStage, CommitState> = {
  scanning: "pending",
  passed: "pending",
  "not-promoted": "success",
  rejected: "failure",
  "timed-out": "error",
  promoted: "success",
};

/** What a commit status is rendered from: a candidate, or a build that has none yet. */
export type CommitStatusInput =
  | {
      readonly candidate: Candidate;
      readonly context?: string;
      readonly targetUrl?: string;
      /** A rollback onto the candidate: the description says so, who did it and why (state success). */
      readonly rollback?: RollbackNotice;
    }
  | { readonly build: BuildFacts; readonly context?: string; readonly targetUrl?: string };

/**
 * Renders a commit status (the fallback without a GitHub App): pending while building, scanning or
 * promoting; success once promoted; failure when rejected or the build failed; error when the scans
 * timed out. The description is the check run's title cut to 140 characters; after a rollback onto the
 * release, "Rolled back here: TAGS by WHO: REASON". Pure.
 * @example renderCommitStatus({ candidate }) // => { state: "failure", description: "Rejected: 2 blocking findings", context: "portcullis/payments/api" }
 */
export function renderCommitStatus(input: CommitStatusInput): CommitStatusRender {
  const { state, description, repository } =
    "candidate" in input ? ofCandidate(input.candidate, input.rollback) : ofBuild(input.build);
  const url = safeUrl(input.targetUrl ?? ("build" in input ? input.build.logsUrl : undefined));
  return {
    state,
    description: clipLine(description, MAX_STATUS_DESCRIPTION),
    context: input.context ?? statusContext(repository),
    ...(url && { target_url: url }),
  };
}

function ofCandidate(candidate: Candidate, rollback: RollbackNotice | undefined) {
  const repository = candidate.key.repository;
  if (rollback) {
    const description = `${rollbackTitle(rollback)} by ${rollback.by}: ${rollback.reason}`;
    return { state: "success" as const, description, repository };
  }
  const head = candidateHeadline(candidate);
  return { state: STATES[head.stage], description: head.title, repository };
}

function ofBuild(build: BuildFacts) {
  const failed = ["FAILED", "FAULT", "TIMED_OUT", "STOPPED"].includes(build.status);
  const state: CommitState = failed ? "failure" : "pending";
  const description = failed
    ? `Build ${build.status.toLowerCase().replace("_", " ")}`
    : "Building; scans and gate follow";
  return { state, description, repository: build.repository };
}
