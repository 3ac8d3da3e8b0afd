/**
 * The check-run name (and commit-status context) for a repository: one check per ECR repository, so one
 * commit built into several repositories gets one check each.
 * @example checkRunName("payments/api") // => "Portcullis: payments/api"
 */
export function checkRunName(repository: string, prefix = "Portcullis"): string {
  return `${prefix}: ${repository}`;
}

/** The commit-status context for a repository. @example statusContext("payments/api") // => "portcullis/payments/api" */
export function statusContext(repository: string, prefix = "portcullis"): string {
  return `${prefix}/${repository}`;
}
