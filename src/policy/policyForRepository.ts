import { SEVERITIES } from "../core/index.ts";
import { matchRepositoryGlob } from "./matchRepositoryGlob.ts";
import type {
  AllowlistEntry,
  AllowlistRule,
  Fixability,
  Policy,
  RepositoryPolicy,
  ResolvedLimits,
  SeverityLimits,
  Thresholds,
} from "./Policy.ts";

/**
 * Resolves the policy for one repository. Merging rules:
 * - every override whose `repositories` globs match applies, in file order (later ones win);
 * - `thresholds` merge per table and per severity: an override's `fixable.HIGH: 3` replaces only that
 *   limit, `null` makes it unlimited again, severities it leaves out keep the value from before;
 * - `allowlist` entries of a matching override are added to the top-level ones;
 * - `unknownFix`, `warnExpiringWithinDays`, `scan` and `onNewFinding` are replaced when given;
 * - an allowlist entry with its own `repositories` applies only where those globs match too.
 * @example policyForRepository(policy, "legacy/billing").thresholds.fixable.HIGH // 5
 */
export function policyForRepository(policy: Policy, repository: string): RepositoryPolicy {
  const matches = (globs: readonly string[]) => globs.some((glob) => matchRepositoryGlob(glob, repository));
  const rules = (entries: readonly AllowlistEntry[], prefix: string): AllowlistRule[] =>
    entries
      .map((entry, index) => ({ ...entry, field: `${prefix}[${index}]` }))
      .filter((entry) => entry.repositories === undefined || matches(entry.repositories));
  let resolved: RepositoryPolicy = {
    repository,
    thresholds: mergeThresholds(undefined, policy.thresholds),
    unknownFix: policy.unknownFix,
    allowlist: rules(policy.allowlist, "allowlist"),
    warnExpiringWithinDays: policy.warnExpiringWithinDays,
    scan: policy.scan,
    onNewFinding: policy.onNewFinding,
    appliedOverrides: [],
  };
  policy.overrides.forEach((override, index) => {
    if (!matches(override.repositories)) return;
    resolved = {
      ...resolved,
      thresholds: mergeThresholds(resolved.thresholds, override.thresholds ?? {}),
      unknownFix: override.unknownFix ?? resolved.unknownFix,
      allowlist: [...resolved.allowlist, ...rules(override.allowlist ?? [], `overrides[${index}].allowlist`)],
      warnExpiringWithinDays: override.warnExpiringWithinDays ?? resolved.warnExpiringWithinDays,
      scan: override.scan ?? resolved.scan,
      onNewFinding: override.onNewFinding ?? resolved.onNewFinding,
      appliedOverrides: [...resolved.appliedOverrides, index],
    };
  });
  return resolved;
}

function mergeThresholds(
  base: RepositoryPolicy["thresholds"] | undefined,
  change: Thresholds,
): RepositoryPolicy["thresholds"] {
  const table = (fixability: Fixability) => mergeLimits(base?.[fixability], change[fixability]);
  return { fixable: table("fixable"), unfixable: table("unfixable") };
}

function mergeLimits(base: ResolvedLimits | undefined, change: SeverityLimits | undefined): ResolvedLimits {
  const limits = Object.fromEntries(SEVERITIES.map((severity) => [severity, base?.[severity] ?? null]));
  for (const severity of SEVERITIES) {
    const limit = change?.[severity];
    if (limit !== undefined) limits[severity] = limit;
  }
  return limits as ResolvedLimits;
}
