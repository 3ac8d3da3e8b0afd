import type { RepositoryPolicy } from "./Policy.ts";

/**
 * When a candidate registered at `since` stops waiting for scans: after that, platforms still
 * without a terminal scan fail closed (evaluate with their scan missing or pending).
 * @example scanDeadline(policyForRepository(policy, "payments/api"), registeredAt) // registeredAt + 60 min
 */
export function scanDeadline(policy: Pick<RepositoryPolicy, "scan">, since: Date): Date {
  return new Date(since.getTime() + policy.scan.timeoutMinutes * 60_000);
}
