import type { Digest } from "../../core/index.ts";
import type { PromotedCandidate } from "../../release/index.ts";
import { updateTagHistory } from "../../store/index.ts";
import { correlation } from "../candidate/correlation.ts";
import { TagMoveIncompleteError } from "../errors.ts";
import type { HandlerContext } from "../HandlerContext.ts";
import type { DemotedTag } from "../HandlerResult.ts";
import { moveTagsEverywhere } from "../tagMoves/moveTagsEverywhere.ts";

/**
 * The demotion entry point (`onNewFinding: demote`): moves each of a promoted candidate's tags back to the
 * previous passing digest in the candidate's region and in every replica region it reached, with the same multi-region
 * tag move a rollback uses (each region read back). The digest is marked demoted in the tag's history, and
 * the tag is pointed at the history's head (the newest digest never demoted). A tag that has moved on to a
 * newer digest stays there; a tag with no earlier passing digest is left where it is and reported
 * (`digest: null`), since a registry cannot untag without deleting the image. A region that does not take
 * the move (or reads back wrong) throws {@link TagMoveIncompleteError} after the others moved, so the
 * invocation is retried (Lambda, then the dead-letter queue and `portcullis redrive`); a retry finds the
 * history already updated and re-points the tags to the same heads, touching only what is still wrong.
 * @example const tags = await demoteCandidate(ctx, state); // [{ tag: "main", digest: "sha256:…previous" }]
 */
export async function demoteCandidate(ctx: HandlerContext, state: PromotedCandidate): Promise<DemotedTag[]> {
  const { region, repository, digest } = state.key;
  const now = ctx.clock.now();
  const tags: DemotedTag[] = [];
  const byHead = new Map<Digest, string[]>();
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
    byHead.set(head, [...(byHead.get(head) ?? []), tag]);
    tags.push({ tag, digest: head });
  }
  // Required: the primary and every region the release was replicated to. A region still pending or failed
  // is tried too (an interrupted copy may have moved tags there), but cannot fail the demotion: its next
  // replication mirrors the primary's tags, which no longer name this release.
  const replicated = Object.entries(state.replicas)
    .filter(([r, replica]) => r !== region && replica.status === "replicated")
    .map(([r]) => r);
  const required = new Set([region, ...replicated]);
  const unsettled = Object.keys(state.replicas).filter((r) => !required.has(r));
  const regions = [...required, ...unsettled];
  const failures: { region: string; error: string }[] = [];
  for (const [head, moved] of byHead) {
    const results = await moveTagsEverywhere(ctx.registry, {
      regions,
      repository,
      digest: head,
      tags: moved,
    });
    for (const result of results) {
      if (result.kind !== "failed") continue;
      if (required.has(result.region)) failures.push({ region: result.region, error: result.error });
      else
        ctx.log.info("reconcile: not demoted in a region the release has not reached yet", {
          ...correlation(state),
          region: result.region,
          error: result.error,
        });
    }
  }
  if (failures.length > 0) {
    ctx.metrics.count("DemotionRegionFailures", failures.length);
    throw new TagMoveIncompleteError(`demoting ${repository}@${digest}`, failures);
  }
  ctx.metrics.count("Demotions", 1);
  ctx.log.warn("reconcile: demoted in every region", { ...correlation(state), tags, regions });
  return tags;
}
