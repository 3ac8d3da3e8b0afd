import type { CandidateKey } from "../../core/index.ts";
import type { CandidateTags, GitMetadata } from "../../release/index.ts";
import { BUILD_TAG_PREFIX, promotionTags, refAllowed } from "../../tags/index.ts";
import type { HandlerContext } from "../HandlerContext.ts";

/**
 * The build's tags: its build tag, and the promotion tags its git ref earns under the tag rules. A build
 * whose ref is not configured for release (or that names no ref, or a ref the tag rules refuse) gets no
 * promotion tags: it is still gated and reported, but never promoted. Tags already in the repository are
 * passed on, so floating version tags and `latest` never move backwards.
 * @example await computeTags(ctx, key, git, commit) // { build: "sha-…", promotion: ["main", "latest"] }
 */
export async function computeTags(
  ctx: Pick<HandlerContext, "registry" | "settings" | "log">,
  key: CandidateKey,
  git: GitMetadata,
  commit: string,
): Promise<CandidateTags> {
  const build = `${BUILD_TAG_PREFIX}${commit}`;
  if (git.ref === undefined || refAllowed(git.ref, ctx.settings.refFilter ?? {}).kind === "denied")
    return { build, promotion: [] };
  const existingTags = await ctx.registry.clientFor(key.region).listTags(key.repository);
  const tags = promotionTags({ ref: git.ref, commit, rules: ctx.settings.tagRules, existingTags });
  if (tags.ok) return { build, promotion: tags.value.promotion };
  ctx.log.warn("register: the ref yields no promotion tags; the build is gated but not promoted", {
    ...key,
    ref: git.ref,
    issues: tags.error,
  });
  return { build, promotion: [] };
}
