import { promote, type TagMove } from "../../registry/index.ts";
import type { Candidate } from "../../release/index.ts";
import { updateTagHistory } from "../../store/index.ts";
import type { HandlerContext } from "../HandlerContext.ts";
import { restoreFloatingTags } from "./restoreFloatingTags.ts";
import { tagsStillEarned } from "./tagsStillEarned.ts";

/**
 * Moves the promotion tags the candidate still earns onto its digest in its region's registry. Just before
 * moving, the repository's current tags are read and the candidate's tags recomputed by the tag rules
 * (tagsStillEarned), so a release whose events arrive after a newer release's promotion gets its exact
 * version tag but never takes `1.0`, `1` or `latest` back. Each tag's history records the digest first, so
 * a retry after a crash converges and a later demotion knows where the tag was before. The registry side is
 * idempotent too: a tag already on the digest is not written again. Returns one move per tag applied.
 *
 * Two releases of one repository promoting at the same moment can both read the tags before either writes,
 * and the older one's floating tags can land last. So after moving, the tags are read again
 * (restoreFloatingTags): a floating tag a newer release now earns is handed back to it and left out of the
 * result. What remains racy: a third release promoting during that repair, and a reader that looks between
 * the stale write and its repair (a window of one list and one PUT per tag); registries offer no
 * compare-and-swap on tags, so closing it fully would take a lock per repository.
 * @example const moves = await promoteCandidate(ctx, state); // moves.map((m) => m.tag) => ["1.0.28"]
 */
export async function promoteCandidate(
  ctx: Pick<HandlerContext, "registry" | "store" | "clock" | "settings" | "log" | "metrics">,
  state: Candidate,
): Promise<TagMove[]> {
  const { region, repository, digest } = state.key;
  const client = ctx.registry.clientFor(region);
  const tags = tagsStillEarned(state, await client.listTags(repository), ctx.settings.tagRules);
  const withheld = state.tags.promotion.filter((tag) => !tags.includes(tag));
  if (withheld.length > 0)
    ctx.log.info("promote: a newer release holds these tags; they stay where they are", {
      ...state.key,
      withheld,
    });
  const now = ctx.clock.now();
  const kept: string[] = [];
  for (const tag of tags) {
    const update = await updateTagHistory(
      ctx.store,
      { region, repository },
      tag,
      { kind: "promoted", digest },
      now,
    );
    // An operator rolled this tag back off the digest: a late or retried promotion must not undo that.
    if (update.head === digest) kept.push(tag);
    else ctx.log.info("promote: the tag was rolled back off this release; it stays", { ...state.key, tag });
  }
  if (kept.length === 0) return [];
  const image = { registry: client.registry, repository, digest };
  const result = await promote({ client, image, tags: kept });
  const handedBack = new Set(await restoreFloatingTags(ctx, state, kept));
  return result.tags.filter((move) => !handedBack.has(move.tag));
}
