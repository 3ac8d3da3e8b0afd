import type { ValidationIssue } from "../core/result.ts";
import type { ScanStatus } from "../core/scanStatus.ts";
import type { DecisionOutcome } from "./Candidate.ts";

/**
 * What a changed transition means for the outside world: facts to publish (Portcullis events, reports)
 * once the store has written the new state. Never performed by the state machine itself.
 */
export type ReleaseEffect =
  | { readonly kind: "registered" }
  | { readonly kind: "scan-recorded"; readonly digest: string; readonly status: ScanStatus }
  | { readonly kind: "scan-ignored"; readonly eventId: unknown; readonly issues: readonly ValidationIssue[] }
  | { readonly kind: "ready" }
  | { readonly kind: "decided"; readonly outcome: DecisionOutcome }
  | { readonly kind: "promoted"; readonly tags: readonly string[]; readonly regions: readonly string[] }
  | { readonly kind: "replicated"; readonly region: string; readonly complete: boolean }
  | {
      readonly kind: "replication-failed";
      readonly region: string;
      readonly error: string;
      readonly attempts: number;
    };
