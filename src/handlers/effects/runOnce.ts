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
  | { readonly kind: "busy"; readonly leaseUntil: string };

/** Waiting while another invocation holds the claim: how often, how long, and the error when it never ends. */
export interface ClaimWait {
  /** Claim attempts after the first. */
  readonly retries: number;
  readonly waitMs: number;
  readonly sleep: (ms: number) => Promise<void>;
  /** The error thrown when the claim is still held after the last attempt. */
  readonly busy: (leaseUntil: string) => Error;
}

/** Options of {@link runOnce}. */
export interface RunOnceOptions<T> {
  /** Wait for a claim another invocation holds (then "busy" is never returned: it throws instead). */
  readonly wait?: ClaimWait;
  /** What the claim records as the effect's result (the whole result when absent). */
  readonly record?: (result: T) => unknown;
}

/**
 * Performs a side effect at most once per candidate and name: claims it first (with a lease), then performs
 * it and records it done. If performing fails the claim is given up and the error rethrown, so a retry (or
 * the reconciler) can claim it again; if the invocation dies instead, the lease runs out. "busy" means
 * another invocation holds the claim: leave it to that one, or (with `wait`) wait for it to finish.
 * This is the one exactly-once primitive: the gate's events, promotions, notifications, replication
 * outcomes, Slack messages and GitHub check runs all go through it.
 * @example await runOnce(ctx, state.key, "event:decided", () => ctx.events.publish([event]))
 */
export async function runOnce<T>(
  ctx: RunOnceDeps,
  key: CandidateKey,
  effect: string,
  perform: () => Promise<T>,
): Promise<EffectRun<T>>;
export async function runOnce<T>(
  ctx: RunOnceDeps,
  key: CandidateKey,
  effect: string,
  perform: () => Promise<T>,
  options: RunOnceOptions<T> & { readonly wait: ClaimWait },
): Promise<Exclude<EffectRun<T>, { kind: "busy" }>>;
export async function runOnce<T>(
  ctx: RunOnceDeps,
  key: CandidateKey,
  effect: string,
  perform: () => Promise<T>,
  options?: RunOnceOptions<T>,
): Promise<EffectRun<T>>;
export async function runOnce<T>(
  ctx: RunOnceDeps,
  key: CandidateKey,
  effect: string,
  perform: () => Promise<T>,
  options: RunOnceOptions<T> = {},
): Promise<EffectRun<T>> {
  const claim = await claimEffect(ctx, key, effect, options.wait);
  if (claim.kind === "done") return { kind: "done", result: claim.result };
  if (claim.kind === "busy") return { kind: "busy", leaseUntil: claim.leaseUntil };
  let result: T;
  try {
    result = await perform();
  } catch (error) {
    await releaseClaim(ctx, key, effect);
    throw error;
  }
  await ctx.store.completeEffect(key, effect, (options.record ? options.record(result) : result) ?? null);
  return { kind: "performed", result };
}

/** Claims the effect; with `wait`, tries again while another invocation holds it, then throws its error. */
async function claimEffect(ctx: RunOnceDeps, key: CandidateKey, effect: string, wait: ClaimWait | undefined) {
  for (let attempt = 0; ; attempt++) {
    const claim = await ctx.store.claimEffect(key, effect, {
      now: ctx.clock.now(),
      leaseSeconds: ctx.settings.effectLeaseSeconds,
    });
    if (claim.kind !== "busy" || wait === undefined) return claim;
    if (attempt >= wait.retries) throw wait.busy(claim.leaseUntil);
    ctx.log.debug("effect claimed by another invocation; waiting", { ...key, effect, attempt: attempt + 1 });
    await wait.sleep(wait.waitMs);
  }
}

/** Gives up a claim after a failure; a failure to do so is logged (the lease then runs out). */
async function releaseClaim(ctx: RunOnceDeps, key: CandidateKey, effect: string): Promise<void> {
  await ctx.store.releaseEffect(key, effect).catch((releaseError: unknown) => {
    ctx.log.error("could not give up a failed effect's claim; it is retried when its lease ends", {
      ...key,
      effect,
      error: String(releaseError),
    });
  });
}

/** True when the effect is known to have happened (now or before). */
export function confirmed(run: EffectRun<unknown>): boolean {
  return run.kind !== "busy";
}
