import { allowlistExpiry } from "./allowlistExpiry.ts";
import type { RepositoryPolicy } from "./Policy.ts";
import type { PlatformVerdict, PolicyWarning } from "./Verdict.ts";

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Warnings about the allowlist entries that apply to the repository: expired ones (to remove or
 * renew), active ones expiring within `warnExpiringWithinDays`, and active ones that matched no
 * finding on any platform (only said when every platform has a usable scan to look at).
 * @example allowlistWarnings(repositoryPolicy, verdict.platforms, new Date())
 */
export function allowlistWarnings(
  policy: RepositoryPolicy,
  platforms: readonly PlatformVerdict[],
  now: Date,
): PolicyWarning[] {
  const used = new Set(platforms.flatMap((p) => p.allowlisted.map((a) => a.entry.field)));
  const scansUsable =
    platforms.length > 0 && platforms.every((p) => p.status === "COMPLETE" || p.status === "ACTIVE");
  const warnings: PolicyWarning[] = [];
  for (const entry of policy.allowlist) {
    const expiry = allowlistExpiry(entry.expires) ?? new Date(0);
    if (expiry <= now) {
      warnings.push({ kind: "allowlist-expired", entry, expiredAt: expiry.toISOString() });
      continue;
    }
    const daysLeft = Math.ceil((expiry.getTime() - now.getTime()) / DAY_MS);
    if (daysLeft <= policy.warnExpiringWithinDays)
      warnings.push({ kind: "allowlist-expiring-soon", entry, expiresAt: expiry.toISOString(), daysLeft });
    if (scansUsable && !used.has(entry.field)) warnings.push({ kind: "allowlist-unused", entry });
  }
  return warnings;
}
