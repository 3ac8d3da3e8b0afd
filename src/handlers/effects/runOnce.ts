import type { CandidateKey, Clock, Log } from "../../core/index.ts";
import type { CandidateStore } from "../../store/index.ts";

/** What {@link runOnce} needs: the store's effect claims, the time, a log and the claim's lease. */
export interface RunOnceDeps {
  readonly store: Pick<CandidateStore, "claimEffect" | "completeEffect" | "releaseEffect">;
  readonly clock: Clock;
  readonly log: Log;
  readonly settings: { readonly effectLeaseSeconds: number };
}

/** How a side effect went: performed now, done before, or held by another invocation right now. */
export type EffectRun<T> =
  | { readonly kind: "performed"; readonly result: T }
  | { readonly kind: "done"; readonly result: unknown }
  | { readonly kind: "busy" };

/**
 * Performs a side effect at most once per candidate and name: claims it first (with a lease), then performs
 * it and records it done. If performing fails the claim is given up and the error rethrown, so a retry (or
 * the reconciler) can claim it again; if the invocation dies instead, the lease runs out. "busy" means
 * another invocation holds the claim: leave it to that one.
 * @example await runOnce(ctx, state.key, "event:decided", () => ctx.events.publish([event]))
 */
export async function runOnce<T>(
  ctx: RunOnceDeps,
  key: CandidateKey,
  effect: string,
  perform: () => Promise<T>,
): Promise<EffectRun<T>> {
  const claim = await ctx.store.claimEffect(key, effect, {
    now: ctx.clock.now(),
    leaseSeconds: ctx.settings.effectLeaseSeconds,
  });
  if (claim.kind === "done") return { kind: "done", result: claim.result };
  if (claim.kind === "busy") return { kind: "busy" };
  let result: T;
  try {
    result = await perform();
  } catch (error) {
    await ctx.store.releaseEffect(key, effect).catch((releaseError: unknown) => {
      ctx.log.error("could not give up a failed effect's claim; it is retried when its lease ends", {
        ...key,
        effect,
        error: String(releaseError),
      });
    });
    throw error;
  }
  await ctx.store.completeEffect(key, effect, result ?? null);
  return { kind: "performed", result };
}

/** True when the effect is known to have happened (now or before). */
export function confirmed(run: EffectRun<unknown>): boolean {
  return run.kind !== "busy";
}
