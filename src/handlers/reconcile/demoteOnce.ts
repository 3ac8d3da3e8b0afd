import { type PromotedCandidate, watchPromoted } from "../../release/index.ts";
import { updateCandidate } from "../candidate/updateCandidate.ts";
import { runOnce } from "../effects/runOnce.ts";
import type { HandlerContext } from "../HandlerContext.ts";
import type { DemotedTag } from "../HandlerResult.ts";
import { demoteCandidate } from "./demoteCandidate.ts";

/**
 * Demotes a promoted candidate once (demoteCandidate, claimed per candidate: a later finding or sweep reuses
 * the recorded result) and records the demotion on the candidate. Undefined while another invocation holds
 * the claim.
 * @example const tags = await demoteOnce(ctx, state); // [{ tag: "main", digest: "sha256:…previous" }]
 */
export async function demoteOnce(
  ctx: HandlerContext,
  state: PromotedCandidate,
): Promise<DemotedTag[] | undefined> {
  const run = await runOnce(ctx, state.key, "demote", () => demoteCandidate(ctx, state));
  if (run.kind === "busy") return undefined;
  await updateCandidate(ctx, state.key, (current) =>
    watchPromoted(current, { kind: "demoted", now: ctx.clock.now() }),
  );
  return run.result as DemotedTag[];
}
