import type { Candidate } from "../../release/index.ts";
import { promotionTags, type TagRules } from "../../tags/index.ts";
import { buildCommit } from "../register/buildCommit.ts";

/**
 * Which of the candidate's registered promotion tags it still earns against the repository's tags as they
 * are now: the registered list, recomputed by src/tags's own rules with `existingTags`, kept only where the
 * recomputation agrees. Registration computed the list against the tags of that moment; a newer release
 * promoted since then takes `1.0`, `1` and `latest` away from an older one, so a floating tag never moves
 * backwards. Never adds a tag registration did not grant (ref filter, rules changed since).
 * @example tagsStillEarned(state, ["1.0.49", "1.0", "1", "latest"]) // 1.0.28 => ["1.0.28"]
 */
export function tagsStillEarned(
  state: Candidate,
  existingTags: readonly string[],
  rules?: Partial<TagRules>,
): string[] {
  const registered = state.tags.promotion;
  const ref = state.git.ref;
  const commit = state.git.revision ?? buildCommit(state.tags.build);
  if (registered.length === 0 || ref === undefined || commit === undefined) return [];
  const now = promotionTags({ ref, commit, rules, existingTags });
  if (!now.ok) return [];
  const earned = new Set(now.value.promotion);
  return registered.filter((tag) => earned.has(tag));
}
