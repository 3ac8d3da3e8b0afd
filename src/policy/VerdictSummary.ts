import type { ScanStatus, Severity, SeverityCounts } from "../core/index.ts";
import type { FailureReason, Fixability, Outcome, PolicyWarning, ResolvedLimits } from "./index.ts";

/**
 * A finding as kept in a summary: absent facts are `null` (never `undefined`), so the summary is plain JSON
 * that a DynamoDB document write stores unchanged. One entry per (id, package, installed version); the
 * platforms it was found on are listed.
 */
export type FindingSummary = {
  readonly id: string;
  readonly severity: Severity;
  readonly fixability: Fixability;
  readonly platforms: readonly string[];
  readonly package: string | null;
  readonly installed: string | null;
  readonly fixedIn: string | null;
  readonly link: string | null;
  readonly title: string | null;
};

/** A finding an active allowlist entry exempted, with the entry's expiry and owner. */
export type AllowlistedSummary = FindingSummary & {
  /** ISO 8601: when the entry stops applying. */
  readonly expiresAt: string;
  readonly owner: string;
  readonly reason: string;
  /** Where the entry is written in the policy, e.g. `allowlist[2]`. */
  readonly entry: string;
};

/** A finding whose allowlist entry has expired: it counted again. */
export type ExpiredAllowlistSummary = FindingSummary & {
  readonly expiredAt: string;
  readonly owner: string;
  readonly entry: string;
};

/** One platform image's status and counts. */
export type PlatformSummary = {
  readonly platform: string;
  readonly digest: string;
  readonly outcome: Outcome;
  readonly status: ScanStatus | "MISSING";
  /** Every finding of the scan, by severity. */
  readonly counts: SeverityCounts;
  /** Counted against the thresholds (allowlisted left out), per table. */
  readonly counted: Readonly<Record<Fixability, SeverityCounts>>;
  readonly blocking: number;
  readonly allowlisted: number;
};

/** A failure reason as one sentence, with its kind and platform for grouping. */
export type ReasonSummary = {
  readonly kind: FailureReason["kind"];
  readonly platform: string | null;
  readonly text: string;
};

/** A policy warning as one sentence, with the allowlist entry it is about. */
export type WarningSummary = {
  readonly kind: PolicyWarning["kind"];
  readonly id: string;
  readonly text: string;
  /** For `unsupported-image-excepted`: the platform let through unscanned and the exception that did it. */
  readonly exception?: ExceptionSummary;
};

/** An unsupported-image exception as applied to one platform (`id` names its place in the policy). */
type ExceptionSummary = {
  readonly platform: string;
  /** ISO 8601: when the exception stops applying. */
  readonly expiresAt: string;
  readonly owner: string;
  readonly reason: string;
};

/** A bounded list: the first `items` and how many were left out. */
export type Bounded<T> = {
  readonly items: readonly T[];
  readonly omitted: number;
};

/**
 * The compact, JSON-serializable form of a gate verdict: what the gate stores as the decision's reasons and
 * what the report and the notifications render from. Lists are bounded (see summarizeVerdict), so it stays
 * a few kilobytes whatever the scan found.
 */
export type VerdictSummary = {
  readonly kind: "verdict";
  /** Version of this shape, so readers can refuse what they do not know. */
  readonly schema: 1;
  readonly outcome: Outcome;
  readonly repository: string;
  readonly evaluatedAt: string;
  readonly limits: Readonly<Record<Fixability, ResolvedLimits>>;
  readonly platforms: readonly PlatformSummary[];
  readonly blocking: Bounded<FindingSummary>;
  readonly allowlisted: Bounded<AllowlistedSummary>;
  readonly expiredAllowlist: Bounded<ExpiredAllowlistSummary>;
  readonly reasons: Bounded<ReasonSummary>;
  readonly warnings: Bounded<WarningSummary>;
};
