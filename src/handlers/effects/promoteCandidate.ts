import { promote, type TagMove } from "../../registry/index.ts";
import type { Candidate } from "../../release/index.ts";
import { updateTagHistory } from "../../store/index.ts";
import type { HandlerContext } from "../HandlerContext.ts";

/**
 * Moves the candidate's promotion tags onto its digest in its region's registry. Each tag's history records
 * the digest first, so a retry after a crash converges and a later demotion knows where the tag was before.
 * The registry side is idempotent too: a tag already on the digest is not written again.
 * @example const moves = await promoteCandidate(ctx, state, state.tags.promotion);
 */
export async function promoteCandidate(
  ctx: Pick<HandlerContext, "registry" | "store" | "clock">,
  state: Candidate,
  tags: readonly string[],
): Promise<TagMove[]> {
  const { region, repository, digest } = state.key;
  const now = ctx.clock.now();
  for (const tag of tags)
    await updateTagHistory(ctx.store, { region, repository }, tag, { kind: "promoted", digest }, now);
  const client = ctx.registry.clientFor(region);
  const result = await promote({ client, image: { registry: client.registry, repository, digest }, tags });
  return [...result.tags];
}
