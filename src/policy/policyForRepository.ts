import { SEVERITIES } from "../core/index.ts";
import { failSafeLimits } from "./failSafeLimits.ts";
import { matchRepositoryGlob } from "./matchRepositoryGlob.ts";
import type {
  AllowlistEntry,
  AllowlistRule,
  Fixability,
  Policy,
  RepositoryPolicy,
  ResolvedLimits,
  SeverityLimits,
  UnsupportedImageException,
  UnsupportedImageRule,
} from "./Policy.ts";

/**
 * Resolves the policy for one repository. Merging rules:
 * - every override whose `repositories` globs match applies, in file order (later ones win);
 * - `thresholds` merge per table and per severity: an override's `fixable.HIGH: 3` replaces only that
 *   limit, `null` makes it unlimited again, severities it leaves out keep the value from before;
 * - omission fails safe ({@link failSafeLimits}), at the top level and after each override: a severity
 *   left out everywhere that is more severe than a limited one is limited to 0; only a severity left out
 *   below every limit, or written `null`, is unlimited;
 * - `allowlist` and `unsupportedImages` entries of a matching override are added to the top-level ones;
 * - `unknownFix`, `warnExpiringWithinDays`, `scan` and `onNewFinding` are replaced when given;
 * - an allowlist entry with its own `repositories` applies only where those globs match too, and an
 *   unsupported-image exception only where its (required) globs match.
 * @example policyForRepository(policy, "legacy/billing").thresholds.fixable.HIGH // 5
 */
export function policyForRepository(policy: Policy, repository: string): RepositoryPolicy {
  const matches = (globs: readonly string[]) => globs.some((glob) => matchRepositoryGlob(glob, repository));
  const rules = (entries: readonly AllowlistEntry[], prefix: string): AllowlistRule[] =>
    entries
      .map((entry, index) => ({ ...entry, field: `${prefix}[${index}]` }))
      .filter((entry) => entry.repositories === undefined || matches(entry.repositories));
  const exceptions = (
    entries: readonly UnsupportedImageException[],
    prefix: string,
  ): UnsupportedImageRule[] =>
    entries
      .map((entry, index) => ({ ...entry, field: `${prefix}[${index}]` }))
      .filter((entry) => matches(entry.repositories));
  let resolved: RepositoryPolicy = {
    repository,
    thresholds: resolveThresholds(policy, matches),
    unknownFix: policy.unknownFix,
    allowlist: rules(policy.allowlist, "allowlist"),
    unsupportedImages: exceptions(policy.unsupportedImages, "unsupportedImages"),
    warnExpiringWithinDays: policy.warnExpiringWithinDays,
    scan: policy.scan,
    onNewFinding: policy.onNewFinding,
    appliedOverrides: [],
  };
  policy.overrides.forEach((override, index) => {
    if (!matches(override.repositories)) return;
    resolved = {
      ...resolved,
      unknownFix: override.unknownFix ?? resolved.unknownFix,
      allowlist: [...resolved.allowlist, ...rules(override.allowlist ?? [], `overrides[${index}].allowlist`)],
      unsupportedImages: [
        ...resolved.unsupportedImages,
        ...exceptions(override.unsupportedImages ?? [], `overrides[${index}].unsupportedImages`),
      ],
      warnExpiringWithinDays: override.warnExpiringWithinDays ?? resolved.warnExpiringWithinDays,
      scan: override.scan ?? resolved.scan,
      onNewFinding: override.onNewFinding ?? resolved.onNewFinding,
      appliedOverrides: [...resolved.appliedOverrides, index],
    };
  });
  return resolved;
}

/** Each table: the top-level limits, then every matching override's, failing safe after each step. */
function resolveThresholds(
  policy: Policy,
  matches: (globs: readonly string[]) => boolean,
): RepositoryPolicy["thresholds"] {
  const overrides = policy.overrides.filter((override) => matches(override.repositories));
  const table = (fixability: Fixability): ResolvedLimits => {
    let limits = failSafeLimits(policy.thresholds[fixability] ?? {});
    for (const override of overrides)
      limits = failSafeLimits({ ...limits, ...written(override.thresholds?.[fixability]) });
    return Object.fromEntries(
      SEVERITIES.map((severity) => [severity, limits[severity] ?? null]),
    ) as ResolvedLimits;
  };
  return { fixable: table("fixable"), unfixable: table("unfixable") };
}

function written(limits: SeverityLimits | undefined): SeverityLimits {
  return Object.fromEntries(Object.entries(limits ?? {}).filter(([, limit]) => limit !== undefined));
}
