import type { Finding } from "../findings/index.ts";
import { allowlistExpiry } from "./allowlistExpiry.ts";
import { fixabilityOf } from "./fixabilityOf.ts";
import type { AllowlistRule, Fixability, RepositoryPolicy } from "./Policy.ts";
import type { AllowlistedFinding, ExpiredAllowlistFinding } from "./Verdict.ts";

/** A finding that counts toward the thresholds. */
export interface CountedFinding {
  readonly finding: Finding;
  readonly fixability: Fixability;
}

/** Findings split by what the allowlist does to them. */
export interface ClassifiedFindings {
  readonly counted: CountedFinding[];
  readonly allowlisted: AllowlistedFinding[];
  readonly expiredAllowlist: ExpiredAllowlistFinding[];
}

/**
 * Splits findings into allowlisted (an active entry with the same id applies) and counted; counted
 * findings that an expired entry would have covered are also listed under `expiredAllowlist`.
 * @example classifyFindings(scan.findings, policyForRepository(policy, "payments/api"), new Date())
 */
export function classifyFindings(
  findings: readonly Finding[],
  policy: RepositoryPolicy,
  now: Date,
): ClassifiedFindings {
  const classified: ClassifiedFindings = { counted: [], allowlisted: [], expiredAllowlist: [] };
  for (const finding of findings) {
    const fixability = fixabilityOf(finding, policy.unknownFix);
    const entries = policy.allowlist.filter((entry) => sameId(entry, finding));
    const active = entries.find((entry) => expiryOf(entry) > now);
    if (active) {
      classified.allowlisted.push({
        finding,
        fixability,
        entry: active,
        expiresAt: expiryOf(active).toISOString(),
      });
      continue;
    }
    classified.counted.push({ finding, fixability });
    const expired = entries[0];
    if (expired) {
      classified.expiredAllowlist.push({
        finding,
        fixability,
        entry: expired,
        expiredAt: expiryOf(expired).toISOString(),
      });
    }
  }
  return classified;
}

function sameId(entry: AllowlistRule, finding: Finding): boolean {
  return entry.id.toUpperCase() === finding.id.toUpperCase();
}

/** Entries were validated by parsePolicy; an unreadable date here counts as already expired. */
function expiryOf(entry: AllowlistRule): Date {
  return allowlistExpiry(entry.expires) ?? new Date(0);
}
