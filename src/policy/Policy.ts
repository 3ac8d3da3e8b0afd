import type { Severity } from "../core/index.ts";

/** Which threshold table a finding counts against. */
export type Fixability = "fixable" | "unfixable";
/** Demote a promoted image only if a new finding is still there (not fixed, not allowlisted) after `afterDays`. */
export interface GraceDemotion {
  readonly action: "demote";
  /** Days between the notification and the demotion (0: at once, like "demote"). */
  readonly afterDays: number;
}

/** What to do when a new finding appears on an image that was already promoted. */
export type OnNewFinding = "notify" | "demote" | GraceDemotion;

/**
 * Maximum allowed count per severity; `null` means unlimited. A severity left out is limited to 0 when a
 * less severe one has a number (see failSafeLimits), and unlimited otherwise.
 */
export type SeverityLimits = Readonly<Partial<Record<Severity, number | null>>>;

/** Per-severity maximum counts, separately for fixable and unfixable findings. */
export interface Thresholds {
  readonly fixable?: SeverityLimits;
  readonly unfixable?: SeverityLimits;
}

/** An accepted risk: findings with this id do not count while the entry is active. */
export interface AllowlistEntry {
  /** Vulnerability id (`CVE-2023-1234`, `GHSA-…`); matched case-insensitively. */
  readonly id: string;
  readonly reason: string;
  readonly owner: string;
  /** `YYYY-MM-DD`; the entry applies until the end of that day, UTC. */
  readonly expires: string;
  /** Repository globs the entry is limited to; absent = every repository the policy covers. */
  readonly repositories?: readonly string[];
}

/**
 * An audited exception for images ECR cannot scan (`FROM scratch`, distroless: UNSUPPORTED_IMAGE, or FAILED
 * with an unsupported-image description): a platform of a matching repository passes without a scan, with a
 * prominent warning, until the entry expires. Without a matching entry such a platform fails closed.
 */
export interface UnsupportedImageException {
  /** Repository globs the exception is limited to (required: an exception names what it covers). */
  readonly repositories: readonly string[];
  readonly reason: string;
  readonly owner: string;
  /** `YYYY-MM-DD`; the exception applies until the end of that day, UTC. */
  readonly expires: string;
}

/** An unsupported-image exception as it applies to one repository, with where it is written in the policy. */
export interface UnsupportedImageRule extends UnsupportedImageException {
  /** Field path in the policy file, e.g. `unsupportedImages[0]` or `overrides[1].unsupportedImages[0]`. */
  readonly field: string;
}

/** Scan waiting rules. */
export interface ScanRules {
  /** A platform still without a terminal scan this long after registration fails closed. */
  readonly timeoutMinutes: number;
}

/** Settings replaced or extended for repositories matching `repositories` (see policyForRepository). */
export interface PolicyOverride {
  readonly repositories: readonly string[];
  readonly thresholds?: Thresholds;
  readonly unknownFix?: Fixability;
  readonly allowlist?: readonly AllowlistEntry[];
  readonly unsupportedImages?: readonly UnsupportedImageException[];
  readonly warnExpiringWithinDays?: number;
  readonly scan?: ScanRules;
  readonly onNewFinding?: OnNewFinding;
}

/** What build provenance a release must carry (BuildKit's SLSA provenance in the index). */
export interface ProvenanceRequirement {
  /** When true, a platform without provenance naming `sourceRepository` and the image's commit fails closed. */
  readonly required: boolean;
  /** The source repository the provenance must name, e.g. `https://github.com/org/app`. */
  readonly sourceRepository: string;
  /** A prefix the provenance's builder id must start with (in AWS, the CodeBuild project's build ARNs). */
  readonly builderPrefix?: string;
}

/** A validated policy file, defaults filled in. */
export interface Policy {
  readonly version: 1;
  readonly thresholds: Thresholds;
  /** How findings without fix information (basic scans) count. */
  readonly unknownFix: Fixability;
  readonly allowlist: readonly AllowlistEntry[];
  /** Exceptions for images ECR cannot scan; empty: such images fail closed. */
  readonly unsupportedImages: readonly UnsupportedImageException[];
  readonly warnExpiringWithinDays: number;
  readonly scan: ScanRules;
  readonly onNewFinding: OnNewFinding;
  readonly overrides: readonly PolicyOverride[];
  /** Build provenance the release must carry; absent: not checked. */
  readonly provenance?: ProvenanceRequirement;
}

/** An allowlist entry as it applies to one repository, with where it is written in the policy. */
export interface AllowlistRule extends AllowlistEntry {
  /** Field path in the policy file, e.g. `allowlist[2]` or `overrides[0].allowlist[1]`. */
  readonly field: string;
}

/** Every severity's limit (`null` = unlimited). */
export type ResolvedLimits = Readonly<Record<Severity, number | null>>;

/** The policy as it applies to one repository: overrides applied, allowlist scoped. */
export interface RepositoryPolicy {
  readonly repository: string;
  readonly thresholds: Readonly<Record<Fixability, ResolvedLimits>>;
  readonly unknownFix: Fixability;
  readonly allowlist: readonly AllowlistRule[];
  /** The unsupported-image exceptions whose globs match the repository. */
  readonly unsupportedImages: readonly UnsupportedImageRule[];
  readonly warnExpiringWithinDays: number;
  readonly scan: ScanRules;
  readonly onNewFinding: OnNewFinding;
  /** Indexes of the `overrides` that matched, in the order they were applied. */
  readonly appliedOverrides: readonly number[];
}
