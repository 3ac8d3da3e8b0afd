import type { CandidateKey } from "../core/index.ts";
import type { DecisionOutcome, Phase } from "../release/index.ts";
import type { KeptScan } from "../store/index.ts";

/** An event refused for where it came from (another account, an unconfigured region or repository). */
export interface Refused {
  readonly kind: "refused";
  /** The field that put the event out of scope, e.g. `account`. */
  readonly field: string;
  readonly value: unknown;
  readonly reason: string;
}

/** A valid event this handler has nothing to do with (e.g. a push of a tag that is not a build tag). */
export interface Ignored {
  readonly kind: "ignored";
  readonly reason: string;
}

/** Where a candidate stands after a handler ran. */
export interface CandidateProgress {
  readonly key: CandidateKey;
  readonly phase: Phase;
  /** The decision, once there is one. */
  readonly outcome?: DecisionOutcome;
  /** Tags moved onto the digest, once promoted. */
  readonly promotedTags?: readonly string[];
  /**
   * Present when this invocation applied the candidate's side effects: true when every one (event,
   * notification, promotion) is confirmed, false when one is left to another invocation or the reconciler.
   */
  readonly settled?: boolean;
  /** This invocation published the promotion's "Image Promoted" event (its replication has just begun). */
  readonly announcedNow?: true;
  /** Regions the reconciler asked to replicate again (re-published "Image Promoted"), when it did. */
  readonly replicationRetried?: readonly string[];
}

/** What the register handler did. */
export type RegisterResult =
  | Refused
  | Ignored
  | {
      readonly kind: "registered";
      /** False for a redelivery: the candidate existed already (links and early scans are still made sure of). */
      readonly created: boolean;
      readonly promotionTags: readonly string[];
      readonly candidate: CandidateProgress;
    };

/** What the gate handler did. */
export type GateResult =
  | Refused
  | Ignored
  | {
      readonly kind: "scan-applied";
      /** What happened to the platform image's stored scan. */
      readonly scan: KeptScan;
      /** Every candidate the image belongs to (none yet: kept for a later registration). */
      readonly candidates: readonly CandidateProgress[];
    };

/** One candidate the reconciler could not bring forward (it is retried on the next run). */
export interface ReconcileFailure {
  readonly key: CandidateKey;
  readonly error: string;
}

/** Where a tag points after a demotion (`digest: null`: no earlier passing digest, the tag was left as it was). */
export interface DemotedTag {
  readonly tag: string;
  readonly digest: string | null;
}

/** A promoted candidate re-evaluated after a finding changed (or at the end of a grace period). */
export interface Reevaluation {
  readonly key: CandidateKey;
  readonly outcome:
    | "still-passes"
    | "notified"
    | "demoted"
    | "not-promoted"
    /** The same finding change was acted on before (a re-fired or redelivered event): nothing done. */
    | "duplicate"
    /** A grace period runs: notified with the deadline, demoted by the reconciler then. */
    | "grace"
    /** At the end of a grace period the findings were gone or allowlisted: no demotion. */
    | "grace-lifted"
    /** A platform's scan is SCAN_ELIGIBILITY_EXPIRED: reported as no longer monitored. */
    | "unmonitored";
  /** For a demotion: each tag and where it points now. */
  readonly tags?: readonly DemotedTag[];
  /** For a grace period: when the tags leave the image unless the findings are gone by then. */
  readonly demoteAt?: string;
}

/** What the reconcile handler did. */
export type ReconcileResult =
  | Refused
  | Ignored
  | {
      readonly kind: "swept";
      readonly candidates: readonly CandidateProgress[];
      readonly failures: readonly ReconcileFailure[];
    }
  | { readonly kind: "re-evaluated"; readonly candidates: readonly Reevaluation[] };
