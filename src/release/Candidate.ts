import type { CandidateKey } from "../core/candidateKey.ts";
import type { Digest } from "../core/digest.ts";
import type { ScanStatus } from "../core/scanStatus.ts";
import type { Severity, SeverityCounts } from "../core/severity.ts";
import type { JsonValue } from "./JsonValue.ts";

export type { CandidateKey };

/** An image index (multi-platform) or a single image manifest. */
export type CandidateKind = "index" | "image";

/** A platform image of a candidate: the unit ECR scans. */
export interface Child {
  readonly digest: Digest;
  /** `os/arch` or `os/arch/variant`, e.g. `linux/arm64/v8`. */
  readonly platform: string;
  readonly mediaType: string;
}

/** Where the image came from, as its OCI annotations or config labels say. */
export interface GitMetadata {
  readonly source?: string;
  /** The full 40-character lowercase commit id. */
  readonly revision?: string;
  readonly ref?: string;
}

/** Which ECR scanning produced a result. */
export type Scanner = "basic" | "enhanced";

/** The scan result kept for one platform child. */
export interface ScanRecord {
  readonly status: ScanStatus;
  readonly counts: SeverityCounts;
  readonly scanner: Scanner;
  /** When the scan result was produced (the event's time), ISO 8601. */
  readonly at: string;
  readonly eventId: string;
}

/** The tags a candidate was built under and is to be promoted to. */
export interface CandidateTags {
  readonly build: string;
  readonly promotion: readonly string[];
}

/** How the gate decided. */
export type DecisionOutcome = "passed" | "failed" | "timed-out";

/** The gate's decision, recorded exactly once. */
export interface Decision {
  readonly outcome: DecisionOutcome;
  readonly at: string;
  /** The policy verdict's summary (or the timeout's), opaque to the state machine. */
  readonly reasons: JsonValue;
}

/** The tags actually moved onto the candidate's digest. */
export interface Promotion {
  readonly tags: readonly string[];
  readonly at: string;
}

/** How the copy to one other region stands. */
export interface Replica {
  readonly status: "pending" | "replicated" | "failed";
  /** Attempts recorded so far (successful or not). */
  readonly attempts: number;
  readonly error?: string;
  readonly at: string;
}

interface CandidateBase {
  /** Version of this stored shape, so a store can migrate old items. */
  readonly schema: 1;
  readonly key: CandidateKey;
  readonly kind: CandidateKind;
  readonly children: readonly Child[];
  readonly git: GitMetadata;
  readonly tags: CandidateTags;
  /** The kept scan per child digest (see pickScan for which result is kept). */
  readonly scans: Readonly<Record<string, ScanRecord>>;
  readonly registeredAt: string;
  /** registeredAt + the scan timeout: past it, a candidate still waiting for scans fails closed. */
  readonly deadline: string;
  /** 1 when registered, +1 on every changed transition: the store's conditional-write guard. */
  readonly version: number;
  /** The latest event ids applied (bounded), to recognise redeliveries. */
  readonly seenEvents: readonly string[];
}

/** Registered, waiting for every platform child's scan. */
export interface ScanningCandidate extends CandidateBase {
  readonly phase: "scanning";
}

/** Decided: passed (awaiting promotion), failed or timed out (final). */
export interface DecidedCandidate extends CandidateBase {
  readonly phase: "decided";
  readonly decision: Decision;
}

/** A demotion owed at the end of a grace period (`onNewFinding: { action: demote, afterDays }`). */
export interface GraceDemotionDue {
  /** ISO 8601: when the tags leave the image unless the findings are gone or allowlisted by then. */
  readonly at: string;
  /** ISO 8601: when the finding that started the countdown was seen. */
  readonly since: string;
  /** The finding that started it. */
  readonly finding: FindingRef;
}

/** Enough of an Inspector finding to name it in a report after its event is gone. */
export interface FindingRef {
  readonly id: string;
  readonly severity: Severity;
  readonly title: string;
  /** The platform image it is on. */
  readonly digest: Digest;
  readonly findingArn: string;
  readonly sourceUrl?: string;
}

/** What happened to a promoted image after its promotion: findings acted on, a grace countdown, the end of monitoring. */
export interface PromotedWatch {
  /** Keys of the finding changes already acted on (finding ARN + the fields that change a decision), bounded. */
  readonly seen: readonly string[];
  /** A demotion owed at the end of a grace period. */
  readonly demotion?: GraceDemotionDue;
  /** ISO 8601: when the tags were demoted (after a grace period, or at once). */
  readonly demotedAt?: string;
  /**
   * ISO 8601: since when a platform's scan is SCAN_ELIGIBILITY_EXPIRED (Inspector's rescan window ended and
   * closed its findings): no longer monitored. Closed findings are not fixes: nothing is cleared because of it.
   */
  readonly unmonitoredSince?: string;
}

/** Passed and promoted; replicas track the copy to each other region. */
export interface PromotedCandidate extends CandidateBase {
  readonly phase: "promoted";
  readonly decision: Decision & { readonly outcome: "passed" };
  readonly promotion: Promotion;
  readonly replicas: Readonly<Record<string, Replica>>;
  /** Absent until a finding or a scan status change is acted on after the promotion. */
  readonly watch?: PromotedWatch;
}

/**
 * A release candidate's whole state: a plain JSON value, stored as one item and replaced by one
 * conditional write per transition (guarded by `version`).
 */
export type Candidate = ScanningCandidate | DecidedCandidate | PromotedCandidate;

/** Where a candidate is in its life: scanning → decided → promoted. */
export type Phase = Candidate["phase"];
