import { allowlistWarnings } from "./allowlistWarnings.ts";
import { evaluatePlatform, type PlatformScan } from "./evaluatePlatform.ts";
import { exceptionWarnings } from "./exceptionWarnings.ts";
import type { Policy } from "./Policy.ts";
import { policyForRepository } from "./policyForRepository.ts";
import type { FailureReason, Verdict } from "./Verdict.ts";

/** What {@link evaluatePolicy} decides on. */
export interface EvaluatePolicyInput {
  readonly policy: Policy;
  /** Repository name (no registry host); selects overrides and scoped allowlist entries. */
  readonly repository: string;
  /** Every platform image of the candidate (attestation manifests left out by the caller). */
  readonly platforms: readonly PlatformScan[];
  /** The decision time: allowlist expiry and expiry warnings are judged against it. */
  readonly now: Date;
}

/**
 * Decides whether a release candidate may be promoted. Pure: same input, same verdict. Fails
 * closed: no platforms, a duplicate platform label, a missing scan, a scan of another image, a scan
 * status other than COMPLETE/ACTIVE, or fewer findings listed than AWS counted all fail, as does any
 * threshold exceeded by the findings the allowlist does not exempt.
 * @example
 * const verdict = evaluatePolicy({
 *   policy,
 *   repository: "payments/api",
 *   platforms: [{ platform: "linux/amd64", digest: "sha256:…", scan: report }],
 *   now: new Date(),
 * });
 * if (verdict.outcome === "fail") console.log(verdict.reasons.map((r) => r.kind));
 */
export function evaluatePolicy(input: EvaluatePolicyInput): Verdict {
  const repositoryPolicy = policyForRepository(input.policy, input.repository);
  const { allowlist: _allowlist, ...applied } = repositoryPolicy;
  const platforms = input.platforms.map((platform) =>
    evaluatePlatform(platform, repositoryPolicy, input.now),
  );
  const reasons = [...platformSetReasons(input.platforms), ...platforms.flatMap((p) => p.reasons)];
  return {
    outcome: reasons.length === 0 ? "pass" : "fail",
    repository: input.repository,
    evaluatedAt: input.now.toISOString(),
    platforms,
    reasons,
    warnings: [
      ...exceptionWarnings(repositoryPolicy, platforms, input.now),
      ...allowlistWarnings(repositoryPolicy, platforms, input.now),
    ],
    policy: applied,
  };
}

function platformSetReasons(platforms: readonly PlatformScan[]): FailureReason[] {
  if (platforms.length === 0) return [{ kind: "no-platforms" }];
  const labels = platforms.map((p) => p.platform);
  const duplicates = labels.filter((label, index) => labels.indexOf(label) !== index);
  return [...new Set(duplicates)].map((platform) => ({ kind: "duplicate-platform", platform }));
}
