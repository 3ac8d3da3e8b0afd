import { promote } from "../../registry/index.ts";
import type { PromotedCandidate } from "../../release/index.ts";
import { updateTagHistory } from "../../store/index.ts";
import { correlation } from "../candidate/correlation.ts";
import type { HandlerContext } from "../HandlerContext.ts";
import type { DemotedTag } from "../HandlerResult.ts";

/**
 * Moves each of a promoted candidate's tags back to the previous passing digest: the digest is marked demoted
 * in the tag's history, and the registry tag is pointed at the history's head (the newest digest never
 * demoted). A tag that has moved on to a newer digest stays there; a tag with no earlier passing digest is
 * left where it is and reported (`digest: null`), since a registry cannot untag without deleting the image.
 * Idempotent: a retry finds the history already updated and re-points the tags to the same heads.
 * @example const tags = await demoteCandidate(ctx, state); // [{ tag: "main", digest: "sha256:…previous" }]
 */
export async function demoteCandidate(ctx: HandlerContext, state: PromotedCandidate): Promise<DemotedTag[]> {
  const { region, repository, digest } = state.key;
  const client = ctx.registry.clientFor(region);
  const now = ctx.clock.now();
  const tags: DemotedTag[] = [];
  for (const tag of state.promotion.tags) {
    const { head } = await updateTagHistory(
      ctx.store,
      { region, repository },
      tag,
      { kind: "demoted", digest },
      now,
    );
    if (head === undefined) {
      ctx.log.warn("reconcile: no earlier passing digest; tag left in place", { ...correlation(state), tag });
      tags.push({ tag, digest: null });
      continue;
    }
    await promote({ client, image: { registry: client.registry, repository, digest: head }, tags: [tag] });
    tags.push({ tag, digest: head });
  }
  ctx.metrics.count("Demotions", 1);
  ctx.log.warn("reconcile: demoted", { ...correlation(state), tags });
  return tags;
}
