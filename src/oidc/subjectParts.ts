/** A GitHub OIDC subject split into its repository and the rest (`ref:refs/heads/main`, `pull_request`…). */
export interface SubjectParts {
  /** `OWNER/REPO` as written (may hold wildcards in a pattern). */
  readonly repository: string;
  readonly owner: string;
  /** Everything after `repo:OWNER/REPO:`; undefined when the subject ends after the repository. */
  readonly rest: string | undefined;
}

/**
 * Splits `repo:OWNER/REPO:…`; undefined for subjects of another shape (a customized `sub` template, `*`).
 * @example subjectParts("repo:octo/app:ref:refs/heads/main") // => { repository: "octo/app", owner: "octo", rest: "ref:refs/heads/main" }
 */
export function subjectParts(subject: string): SubjectParts | undefined {
  if (!subject.startsWith("repo:")) return undefined;
  const body = subject.slice("repo:".length);
  const colon = body.indexOf(":");
  const repository = colon === -1 ? body : body.slice(0, colon);
  const slash = repository.indexOf("/");
  if (slash <= 0) return undefined;
  return {
    repository,
    owner: repository.slice(0, slash),
    rest: colon === -1 ? undefined : body.slice(colon + 1),
  };
}

/** The shapes GitHub issues after the repository: a branch or tag ref, an environment, or a pull request. */
export const KNOWN_SUBJECT_REST = /^(?:ref:refs\/(?:heads|tags)\/.+|environment:.+|pull_request)$/;
