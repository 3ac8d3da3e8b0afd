import type { Candidate, FindingRef, PromotedCandidate, PromotedWatch } from "./Candidate.ts";
import { changed, rejected, type Transition, unchanged } from "./Transition.ts";
import { toInstant } from "./toInstant.ts";

/** How many finding keys a promoted candidate remembers. */
const MAX_SEEN = 100;

/** A change on a promoted image the reconciler acts on. */
export type WatchInput =
  /** A finding change (its key: finding ARN + the fields that change a decision); `demoteAt` starts a grace countdown. */
  | {
      readonly kind: "finding";
      readonly key: string;
      readonly now: Date;
      readonly demoteAt?: Date;
      /** The finding a countdown is for (with `demoteAt`). */
      readonly finding?: FindingRef;
    }
  /** The tags were demoted. */
  | { readonly kind: "demoted"; readonly now: Date }
  /** At the grace deadline the findings were gone (fixed, not merely closed) or allowlisted: no demotion. */
  | { readonly kind: "lifted"; readonly now: Date }
  /** A platform's scan is SCAN_ELIGIBILITY_EXPIRED: the image is no longer monitored. */
  | { readonly kind: "unmonitored"; readonly now: Date };

/**
 * Records what the reconciler acted on for a promoted candidate, so a re-fired or redelivered event changes
 * nothing: a finding key already seen is `unchanged` "duplicate"; a grace countdown, once started, keeps its
 * deadline; a demotion or the end of monitoring is recorded once and never cleared (a finding closed because
 * Inspector stopped rescanning is not a fix). Rejected unless the candidate is promoted.
 * @example watchPromoted(state, { kind: "finding", key, now, demoteAt }) // changed: watch.demotion.at = demoteAt
 */
export function watchPromoted(state: Candidate, input: WatchInput): Transition {
  if (state.phase !== "promoted")
    return rejected([{ field: "phase", value: state.phase, message: "only a promoted image is watched" }]);
  const now = toInstant(input.now, "now");
  if (!now.ok) return rejected(now.error);
  const watch: PromotedWatch = state.watch ?? { seen: [] };
  const next = nextWatch(watch, input, now.value);
  if (next === undefined) return unchanged(state, "duplicate");
  const promoted: PromotedCandidate = { ...state, watch: next };
  return changed(state, promoted, []);
}

function nextWatch(watch: PromotedWatch, input: WatchInput, now: string): PromotedWatch | undefined {
  switch (input.kind) {
    case "finding": {
      if (watch.seen.includes(input.key)) return undefined;
      const seen = [...watch.seen, input.key].slice(-MAX_SEEN);
      const { demoteAt, finding } = input;
      if (demoteAt === undefined || finding === undefined || watch.demotion || watch.demotedAt)
        return { ...watch, seen };
      return { ...watch, seen, demotion: { at: demoteAt.toISOString(), since: now, finding } };
    }
    case "demoted": {
      if (watch.demotedAt !== undefined) return undefined;
      const { demotion: _done, ...rest } = watch;
      return { ...rest, demotedAt: now };
    }
    case "lifted": {
      if (watch.demotion === undefined) return undefined;
      const { demotion: _lifted, ...rest } = watch;
      return rest;
    }
    case "unmonitored":
      return watch.unmonitoredSince === undefined ? { ...watch, unmonitoredSince: now } : undefined;
  }
}
