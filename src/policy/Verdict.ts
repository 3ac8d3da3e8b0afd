import type { Digest, ScanStatus, Severity, SeverityCounts } from "../core/index.ts";
import type { Finding } from "../findings/index.ts";
import type { AllowlistRule, Fixability, RepositoryPolicy, UnsupportedImageRule } from "./Policy.ts";

/** The gate's answer. */
export type Outcome = "pass" | "fail";

/** A threshold that was broken: `actual` counted findings against a maximum of `limit`. */
export interface ThresholdBreach {
  readonly severity: Severity;
  readonly fixability: Fixability;
  readonly limit: number;
  readonly actual: number;
}

/** A finding that counts toward a broken threshold. */
export interface BlockingFinding {
  readonly finding: Finding;
  readonly fixability: Fixability;
  readonly threshold: ThresholdBreach;
}

/** A finding an active allowlist entry exempted. */
export interface AllowlistedFinding {
  readonly finding: Finding;
  readonly fixability: Fixability;
  readonly entry: AllowlistRule;
  /** ISO 8601: when the entry stops applying (end of its `expires` day, UTC). */
  readonly expiresAt: string;
}

/** A finding an allowlist entry would have exempted had it not expired: it counts like any other. */
export interface ExpiredAllowlistFinding {
  readonly finding: Finding;
  readonly fixability: Fixability;
  readonly entry: AllowlistRule;
  /** ISO 8601. */
  readonly expiredAt: string;
}

/** An image ECR cannot scan, passed by an unsupported-image exception of the policy. */
export interface UnsupportedImageExcepted {
  readonly entry: UnsupportedImageRule;
  /** ISO 8601: when the exception stops applying (end of its `expires` day, UTC). */
  readonly expiresAt: string;
}

/** Why a gate failed. Every reason of every platform is listed; a single one fails the gate. */
export type FailureReason =
  /** The policy requires build provenance (`provenance.required`) and this platform's is missing or says otherwise. */
  | { readonly kind: "provenance-mismatch"; readonly platform: string; readonly detail: string }
  | { readonly kind: "no-platforms" }
  | { readonly kind: "duplicate-platform"; readonly platform: string }
  | { readonly kind: "scan-missing"; readonly platform: string; readonly digest: Digest }
  | {
      readonly kind: "scan-mismatch";
      readonly platform: string;
      readonly digest: Digest;
      readonly field: "digest" | "repository";
      readonly expected: string;
      readonly actual: string;
    }
  | {
      readonly kind: "scan-status-not-passable";
      readonly platform: string;
      readonly digest: Digest;
      readonly status: ScanStatus;
      /** True for IN_PROGRESS/PENDING: the scan had not finished when the decision was due. */
      readonly pending: boolean;
      readonly description?: string;
    }
  | {
      readonly kind: "findings-incomplete";
      readonly platform: string;
      readonly digest: Digest;
      readonly severity: Severity;
      readonly reported: number;
      readonly listed: number;
      /** Present when the scan event's count (a floor the listing must reach) is the larger one. */
      readonly countedBy?: "scan-event";
    }
  | ({
      readonly kind: "threshold-exceeded";
      readonly platform: string;
      readonly digest: Digest;
    } & ThresholdBreach);

/** Something to act on that does not fail the gate. */
export type PolicyWarning =
  | {
      readonly kind: "allowlist-expiring-soon";
      readonly entry: AllowlistRule;
      readonly expiresAt: string;
      readonly daysLeft: number;
    }
  | { readonly kind: "allowlist-expired"; readonly entry: AllowlistRule; readonly expiredAt: string }
  | { readonly kind: "allowlist-unused"; readonly entry: AllowlistRule }
  /** A platform passed without a scan because ECR cannot scan it and an exception says so: say it loudly. */
  | {
      readonly kind: "unsupported-image-excepted";
      readonly entry: UnsupportedImageRule;
      readonly platform: string;
      readonly status: ScanStatus;
      readonly expiresAt: string;
    }
  | {
      readonly kind: "exception-expiring-soon";
      readonly entry: UnsupportedImageRule;
      readonly expiresAt: string;
      readonly daysLeft: number;
    }
  | { readonly kind: "exception-expired"; readonly entry: UnsupportedImageRule; readonly expiredAt: string };

/** The decision for one platform image. */
export interface PlatformVerdict {
  readonly platform: string;
  readonly digest: Digest;
  readonly outcome: Outcome;
  /** The scan status, or MISSING when no scan result was given. */
  readonly status: ScanStatus | "MISSING";
  /** Every finding of the scan, by severity. */
  readonly counts: SeverityCounts;
  /** Findings compared with the thresholds (allowlisted ones left out), per table. */
  readonly counted: Readonly<Record<Fixability, SeverityCounts>>;
  readonly blocking: readonly BlockingFinding[];
  readonly allowlisted: readonly AllowlistedFinding[];
  readonly expiredAllowlist: readonly ExpiredAllowlistFinding[];
  /** Present when ECR cannot scan this image and an unsupported-image exception passed it. */
  readonly exception?: UnsupportedImageExcepted;
  readonly reasons: readonly FailureReason[];
}

/** The policy settings a verdict was made with (allowlist left out: see the findings). */
export type AppliedPolicy = Omit<RepositoryPolicy, "allowlist">;

/** The gate decision with every reason: per platform and overall. Plain JSON-serializable data. */
export interface Verdict {
  readonly outcome: Outcome;
  readonly repository: string;
  /** ISO 8601: the `now` the verdict was made at. */
  readonly evaluatedAt: string;
  readonly platforms: readonly PlatformVerdict[];
  /** Every platform's reasons, plus reasons about the set of platforms; empty when passing. */
  readonly reasons: readonly FailureReason[];
  readonly warnings: readonly PolicyWarning[];
  readonly policy: AppliedPolicy;
}
