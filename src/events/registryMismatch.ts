import type { ValidationIssue } from "../core/index.ts";
import type { EventEnvelope } from "./EventEnvelope.ts";

/** Where a registry lives, as an event's detail names it. */
export interface RegistryLocation {
  readonly account: string;
  /** Absent when the detail names only the account (Inspector findings). */
  readonly region?: string;
}

/**
 * Refuses a detail that names a registry in another account or region than the event came from:
 * Portcullis gates the registry it is deployed beside, and ECR and Inspector are regional.
 */
export function registryMismatch(
  location: RegistryLocation,
  envelope: EventEnvelope,
  field: string,
  value: unknown,
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (location.account !== envelope.account)
    issues.push({
      field,
      value,
      message: `names account ${location.account}, but the event came from account ${envelope.account}`,
    });
  if (location.region !== undefined && location.region !== envelope.region)
    issues.push({
      field,
      value,
      message: `names region ${location.region}, but the event came from region ${envelope.region}`,
    });
  return issues;
}
