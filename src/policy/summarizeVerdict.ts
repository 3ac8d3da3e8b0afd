import { SEVERITIES } from "../core/index.ts";
import type { Finding } from "../findings/index.ts";
import { describeReason } from "./describeReason.ts";
import { describeWarning } from "./describeWarning.ts";
import type { Fixability } from "./Policy.ts";
import type { FailureReason, PlatformVerdict, PolicyWarning, Verdict } from "./Verdict.ts";
import type {
  AllowlistedSummary,
  Bounded,
  ExpiredAllowlistSummary,
  FindingSummary,
  PlatformSummary,
  ReasonSummary,
  VerdictSummary,
  WarningSummary,
} from "./VerdictSummary.ts";

/** How much of a verdict a summary keeps. */
export interface SummarizeOptions {
  /** Most findings kept per list (blocking, allowlisted, expired allowlist), across platforms. */
  readonly maxFindings?: number;
  /** Most reasons and most warnings kept. */
  readonly maxReasons?: number;
}

/** The defaults: about 10 KB at most for a summary with every list full. */
export const summarizeDefaults = { maxFindings: 25, maxReasons: 50 } as const;

/** Longest kept length of each free-text field; longer values are clipped with an ellipsis. */
const CLIP = { id: 100, package: 200, version: 100, title: 200, text: 300, owner: 100, reason: 200 } as const;
/** A link longer than this is dropped rather than clipped (a clipped URL is a broken one). */
const MAX_LINK = 500;

/**
 * Summarizes a verdict into plain JSON small enough for a DynamoDB item: outcome, per-platform status and
 * severity counts, blocking findings (merged across platforms, most severe first, at most `maxFindings`,
 * with the count left out), allowlisted findings with expiry, expired allowlist entries, reasons and
 * warnings as sentences.
 * @example
 * const summary = summarizeVerdict(evaluatePolicy(input), { maxFindings: 10 });
 * decide(state, { outcome: summary.outcome === "pass" ? "passed" : "failed", reasons: summary, now });
 */
export function summarizeVerdict(verdict: Verdict, options: SummarizeOptions = {}): VerdictSummary {
  const maxFindings = limitOf(options.maxFindings, summarizeDefaults.maxFindings);
  const maxReasons = limitOf(options.maxReasons, summarizeDefaults.maxReasons);
  const ps = verdict.platforms;
  return {
    kind: "verdict",
    schema: 1,
    outcome: verdict.outcome,
    repository: verdict.repository,
    evaluatedAt: verdict.evaluatedAt,
    limits: verdict.policy.thresholds,
    platforms: ps.map(summarizePlatform),
    blocking: bound(merge(ps.flatMap((p) => p.blocking.map((b) => entry(p, b, {})))), maxFindings),
    allowlisted: bound(
      merge<AllowlistedExtra>(ps.flatMap((p) => p.allowlisted.map((a) => entry(p, a, allowed(a))))),
      maxFindings,
    ),
    expiredAllowlist: bound(
      merge<ExpiredExtra>(ps.flatMap((p) => p.expiredAllowlist.map((e) => entry(p, e, expired(e))))),
      maxFindings,
    ),
    reasons: bound(verdict.reasons.map(summarizeReason), maxReasons),
    warnings: bound(verdict.warnings.map(summarizeWarning), maxReasons),
  };
}

function limitOf(value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0)
    throw new RangeError(`limit must be a whole number ≥ 0, got ${value}`);
  return value;
}

function summarizePlatform(p: PlatformVerdict): PlatformSummary {
  return {
    platform: clip(p.platform, CLIP.id),
    digest: p.digest,
    outcome: p.outcome,
    status: p.status,
    counts: p.counts,
    counted: p.counted,
    blocking: p.blocking.length,
    allowlisted: p.allowlisted.length,
  };
}

type AllowlistedExtra = Omit<AllowlistedSummary, keyof FindingSummary>;
type ExpiredExtra = Omit<ExpiredAllowlistSummary, keyof FindingSummary>;
/** A finding of one platform, with the fields its list adds. */
type Entry<X> = {
  readonly platform: string;
  readonly finding: Finding;
  readonly fixability: Fixability;
  readonly extra: X;
};

function entry<X>(p: PlatformVerdict, f: { finding: Finding; fixability: Fixability }, extra: X): Entry<X> {
  return { platform: p.platform, finding: f.finding, fixability: f.fixability, extra };
}

function allowed(a: PlatformVerdict["allowlisted"][number]): AllowlistedExtra {
  const { entry } = a;
  return {
    expiresAt: a.expiresAt,
    owner: clip(entry.owner, CLIP.owner),
    reason: clip(entry.reason, CLIP.reason),
    entry: entry.field,
  };
}

function expired(e: PlatformVerdict["expiredAllowlist"][number]): ExpiredExtra {
  return { expiredAt: e.expiredAt, owner: clip(e.entry.owner, CLIP.owner), entry: e.entry.field };
}

/** One summary per (id, package, installed version), listing every platform it was found on; sorted. */
function merge<X extends object>(entries: readonly Entry<X>[]): (FindingSummary & X)[] {
  const byKey = new Map<string, { summary: FindingSummary & X; platforms: string[] }>();
  for (const { platform, finding, fixability, extra } of entries) {
    const key = [finding.id, finding.package ?? "", finding.installedVersion ?? ""].join("\u0000");
    const seen = byKey.get(key);
    if (seen) {
      if (!seen.platforms.includes(platform)) seen.platforms.push(platform);
      continue;
    }
    const platforms = [platform];
    byKey.set(key, { summary: { ...summarizeFinding(finding, fixability), platforms, ...extra }, platforms });
  }
  return [...byKey.values()].map((v) => v.summary).sort(compareFindings);
}

function summarizeFinding(finding: Finding, fixability: Fixability): FindingSummary {
  return {
    id: clip(finding.id, CLIP.id),
    severity: finding.severity,
    fixability,
    platforms: [],
    package: clipOrNull(finding.package, CLIP.package),
    installed: clipOrNull(finding.installedVersion, CLIP.version),
    fixedIn: clipOrNull(finding.fixedInVersion, CLIP.version),
    link: finding.link !== undefined && finding.link.length <= MAX_LINK ? finding.link : null,
    title: clipOrNull(finding.title, CLIP.title),
  };
}

/** Most severe first, fixable before unfixable (actionable first), then by id and package. */
function compareFindings(a: FindingSummary, b: FindingSummary): number {
  return (
    SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
    Number(a.fixability === "unfixable") - Number(b.fixability === "unfixable") ||
    a.id.localeCompare(b.id) ||
    (a.package ?? "").localeCompare(b.package ?? "")
  );
}

function summarizeReason(reason: FailureReason): ReasonSummary {
  const platform = "platform" in reason ? reason.platform : null;
  return { kind: reason.kind, platform, text: clip(describeReason(reason), CLIP.text) };
}

function summarizeWarning(warning: PolicyWarning): WarningSummary {
  return {
    kind: warning.kind,
    id: clip("id" in warning.entry ? warning.entry.id : warning.entry.field, CLIP.id),
    text: clip(describeWarning(warning), CLIP.text),
    ...(warning.kind === "unsupported-image-excepted"
      ? {
          exception: {
            platform: clip(warning.platform, CLIP.id),
            expiresAt: warning.expiresAt,
            owner: clip(warning.entry.owner, CLIP.owner),
            reason: clip(warning.entry.reason, CLIP.reason),
          },
        }
      : {}),
  };
}

function bound<T>(items: readonly T[], max: number): Bounded<T> {
  return { items: items.slice(0, max), omitted: Math.max(0, items.length - max) };
}

function clip(value: string, max: number): string {
  return value.length <= max ? value : `${value.slice(0, max - 1)}…`;
}

function clipOrNull(value: string | undefined, max: number): string | null {
  return value === undefined || value === "" ? null : clip(value, max);
}
