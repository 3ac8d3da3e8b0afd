import { promote } from "../../registry/index.ts";
import type { Candidate } from "../../release/index.ts";
import { updateTagHistory } from "../../store/index.ts";
import { defaultTagRules, parseSemver, type TagRules, versionTags } from "../../tags/index.ts";
import type { HandlerContext } from "../HandlerContext.ts";
import { tagsStillEarned } from "./tagsStillEarned.ts";

/**
 * Closes most of the window two releases promoting at once leave open: after moving its tags, a promotion
 * reads the repository's tags again; a floating tag it moved that a newer release (whose exact tag is there
 * now) earns instead is pointed back at that release's digest, found by the tag rules (the exact tag whose
 * versionTags claim it). Returns the tags handed back. A newer release's own promotion does the same, so
 * whichever of the two writes last, the floating tag ends on the newer one.
 * @example await restoreFloatingTags(ctx, state, ["1.0.28", "1.0", "1", "latest"]) // => ["1.0", "1", "latest"]
 */
export async function restoreFloatingTags(
  ctx: Pick<HandlerContext, "registry" | "store" | "clock" | "settings" | "log" | "metrics">,
  state: Candidate,
  moved: readonly string[],
): Promise<string[]> {
  const { region, repository } = state.key;
  const client = ctx.registry.clientFor(region);
  const existing = await client.listTags(repository);
  const earned = new Set(tagsStillEarned(state, existing, ctx.settings.tagRules));
  const lost = moved.filter((tag) => !earned.has(tag));
  const rules = { ...defaultTagRules, ...ctx.settings.tagRules };
  for (const tag of lost) {
    const owner = ownerOf(tag, existing, rules);
    const head = owner === undefined ? undefined : await client.headManifest(repository, owner);
    if (head === undefined) continue;
    const now = ctx.clock.now();
    await updateTagHistory(
      ctx.store,
      { region, repository },
      tag,
      { kind: "promoted", digest: head.digest },
      now,
    );
    await promote({
      client,
      image: { registry: client.registry, repository, digest: head.digest },
      tags: [tag],
    });
    ctx.metrics.count("FloatingTagsRestored", 1);
    ctx.log.warn("promote: a newer release promoted at the same time; its floating tag is handed back", {
      ...state.key,
      tag,
      owner,
      ownerDigest: head.digest,
    });
  }
  return lost;
}

/** The exact version tag in the repository whose version tags include `tag` (the newest release of its line). */
function ownerOf(tag: string, existing: readonly string[], rules: TagRules): string | undefined {
  return existing.find((candidate) => {
    const version = parseSemver(candidate.replace("_", "+"));
    if (version === undefined || version.prerelease !== undefined) return false;
    const tags = versionTags(version, { rules, existingTags: existing });
    return tags.ok && tags.value[0] === candidate && tags.value.includes(tag);
  });
}
