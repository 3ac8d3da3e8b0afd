import type { CandidateKey } from "../../core/index.ts";
import type { Candidate } from "../../release/index.ts";
import { BUILD_TAG_PREFIX } from "../../tags/index.ts";

/**
 * The fields every log line about a candidate carries, so one release can be followed across handlers:
 * region, repository, index digest and, once known, the commit.
 * @example log.info("decided", { ...correlation(state), outcome })
 */
export function correlation(subject: Candidate | CandidateKey): Record<string, string> {
  if (!("key" in subject)) return { ...subject };
  const commit = commitOf(subject);
  return { ...subject.key, ...(commit === undefined ? {} : { commit }) };
}

/** The candidate's commit: its revision annotation, else the one its build tag names. */
export function commitOf(state: Candidate): string | undefined {
  if (state.git.revision !== undefined) return state.git.revision;
  const tag = state.tags.build;
  return tag.startsWith(BUILD_TAG_PREFIX) ? tag.slice(BUILD_TAG_PREFIX.length) : undefined;
}
