/** GitHub's limits on check-run output: https://docs.github.com/rest/checks/runs#create-a-check-run */
export const CHECK_RUN_LIMITS = {
  /** `output.summary` and `output.text`, in characters. */
  outputChars: 65535,
  /** Annotations accepted in one create or update request (more go in further updates). */
  annotationsPerRequest: 50,
  /** `output.title` is not documented with a limit; kept to one short line. */
  titleChars: 255,
  /** An annotation's title. */
  annotationTitleChars: 255,
} as const;

/** A check run's state. */
export type CheckRunStatus = "queued" | "in_progress" | "completed";

/** How a completed check run ended (`stale` is GitHub's to set). */
export type CheckRunConclusion =
  | "action_required"
  | "cancelled"
  | "failure"
  | "neutral"
  | "success"
  | "skipped"
  | "timed_out";

/** One annotation, in GitHub's field names. */
export interface CheckRunAnnotation {
  readonly path: string;
  readonly start_line: number;
  readonly end_line: number;
  readonly annotation_level: "notice" | "warning" | "failure";
  readonly message: string;
  readonly title?: string;
  readonly raw_details?: string;
}

/**
 * A check run as Portcullis renders it, in GitHub's field names: what a create or update request sends
 * (plus `head_sha` on create). `external_id` identifies the candidate (its index digest) so a retry finds
 * and updates the run instead of adding another.
 */
export interface CheckRunRender {
  readonly name: string;
  readonly status: CheckRunStatus;
  /** Present exactly when `status` is `completed`. */
  readonly conclusion?: CheckRunConclusion;
  readonly title: string;
  /** Markdown, at most {@link CHECK_RUN_LIMITS}.outputChars. */
  readonly summary: string;
  /** Markdown, at most {@link CHECK_RUN_LIMITS}.outputChars. */
  readonly text: string;
  readonly external_id: string;
  readonly details_url?: string;
  /** ISO 8601, with `completed`. */
  readonly completed_at?: string;
  /** Every annotation; the GitHub adapter sends them 50 per request. */
  readonly annotations?: readonly CheckRunAnnotation[];
}

/** The states of a commit status: https://docs.github.com/rest/commits/statuses */
export type CommitState = "pending" | "success" | "failure" | "error";

/** A commit status, in GitHub's field names (the fallback when no GitHub App is configured). */
export interface CommitStatusRender {
  readonly state: CommitState;
  /** At most 140 characters. */
  readonly description: string;
  readonly context: string;
  readonly target_url?: string;
}
