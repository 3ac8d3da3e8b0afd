import { evaluatePolicy } from "../../policy/evaluatePolicy.ts";
import type { Verdict } from "../../policy/Verdict.ts";
import type { Candidate } from "../../release/index.ts";
import { FindingsUnavailableError } from "../errors.ts";
import type { HandlerContext } from "../HandlerContext.ts";

/**
 * Fetches every platform child's full findings (all pages, basic and enhanced, through the FindingsSource)
 * and evaluates the repository's policy over them. While the candidate is still being gated, each scan
 * event's counts are a floor the listed findings must reach (a promoted image's findings may close since).
 * Throws {@link FindingsUnavailableError} when a child's
 * findings cannot be read: no decision is made on partial data.
 * @example const verdict = await evaluateCandidate(ctx, state, ctx.clock.now());
 */
export async function evaluateCandidate(
  ctx: Pick<HandlerContext, "findings" | "settings">,
  state: Candidate,
  now: Date,
): Promise<Verdict> {
  const platforms = await Promise.all(
    state.children.map(async ({ digest, platform }) => {
      try {
        const scan = await ctx.findings.scanReport({ ...state.key, digest, platform });
        const counted = state.phase === "scanning" ? state.scans[digest]?.counts : undefined;
        return { platform, digest, scan, ...(counted && { countedAtScan: counted }) };
      } catch (cause) {
        throw new FindingsUnavailableError(state.key, digest, platform, { cause });
      }
    }),
  );
  return evaluatePolicy({ policy: ctx.settings.policy, repository: state.key.repository, platforms, now });
}
