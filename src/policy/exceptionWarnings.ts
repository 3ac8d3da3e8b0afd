import { allowlistExpiry } from "./allowlistExpiry.ts";
import type { RepositoryPolicy } from "./Policy.ts";
import type { PlatformVerdict, PolicyWarning } from "./Verdict.ts";

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Warnings about unsupported-image exceptions: each platform one passed without a scan (prominent: nothing
 * was scanned), and, as for allowlist entries, exceptions expired (renew or remove) or expiring within
 * `warnExpiringWithinDays`.
 * @example exceptionWarnings(repositoryPolicy, verdict.platforms, new Date())
 */
export function exceptionWarnings(
  policy: RepositoryPolicy,
  platforms: readonly PlatformVerdict[],
  now: Date,
): PolicyWarning[] {
  const warnings: PolicyWarning[] = platforms.flatMap((p) =>
    p.exception && p.status !== "MISSING"
      ? [
          {
            kind: "unsupported-image-excepted" as const,
            platform: p.platform,
            status: p.status,
            ...p.exception,
          },
        ]
      : [],
  );
  for (const entry of policy.unsupportedImages) {
    const expiry = allowlistExpiry(entry.expires) ?? new Date(0);
    if (expiry <= now) {
      warnings.push({ kind: "exception-expired", entry, expiredAt: expiry.toISOString() });
      continue;
    }
    const daysLeft = Math.ceil((expiry.getTime() - now.getTime()) / DAY_MS);
    if (daysLeft <= policy.warnExpiringWithinDays)
      warnings.push({ kind: "exception-expiring-soon", entry, expiresAt: expiry.toISOString(), daysLeft });
  }
  return warnings;
}
