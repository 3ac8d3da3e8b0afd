import type { Digest } from "../core/digest.ts";
import type { ScanStatus } from "../core/scanStatus.ts";
import type { SeverityCounts } from "../core/severity.ts";

/** The in-toto Statement v1 type and the SLSA Verification Summary predicate type. */
export const STATEMENT_TYPE = "https://in-toto.io/Statement/v1";
export const VSA_PREDICATE_TYPE = "https://slsa.dev/verification_summary/v1";

/** One platform image as the gate saw it. */
export interface AttestedPlatform {
  readonly platform: string;
  readonly digest: string;
  readonly status: ScanStatus | "MISSING";
  readonly counts: SeverityCounts;
}

/** A policy exception the decision relied on (an allowlisted CVE, an unsupported image let through), with its expiry. */
export interface AttestedException {
  readonly kind: "allowlist" | "unsupported-image";
  /** The CVE id, or the platform for an unsupported image. */
  readonly id: string;
  readonly platforms: readonly string[];
  readonly expiresAt: string;
  readonly owner: string;
  readonly reason: string;
  /** Where the entry is written in the policy, e.g. `allowlist[2]`. */
  readonly entry: string;
}

/** Portcullis's extension of the summary: what the decision was made of. */
export interface PortcullisDecisionFacts {
  readonly outcome: "passed" | "failed" | "timed-out";
  readonly region: string;
  readonly platforms: readonly AttestedPlatform[];
  readonly exceptions: readonly AttestedException[];
  readonly promotedTags: readonly string[];
  /** The failure reasons, one sentence each (empty for a pass). */
  readonly reasons: readonly string[];
  readonly source?: { readonly repository?: string; readonly revision?: string; readonly ref?: string };
}

/** The SLSA VSA v1 predicate with Portcullis's extension under `portcullis`. https://slsa.dev/spec/v1.0/verification_summary */
export interface VerificationSummaryPredicate {
  readonly verifier: { readonly id: string; readonly version: Readonly<Record<string, string>> };
  readonly timeVerified: string;
  readonly resourceUri: string;
  readonly policy: { readonly uri: string; readonly digest: { readonly sha256: string } };
  readonly inputAttestations: readonly never[];
  readonly verificationResult: "PASSED" | "FAILED";
  /** No SLSA track level is claimed: Portcullis verifies scan findings against its policy, not a build track. */
  readonly verifiedLevels: readonly string[];
  readonly slsaVersion: "1.0";
  readonly portcullis: PortcullisDecisionFacts;
}

/** An in-toto Statement v1 carrying a verification summary. https://github.com/in-toto/attestation/blob/main/spec/v1/statement.md */
export interface VerificationSummaryStatement {
  readonly _type: typeof STATEMENT_TYPE;
  readonly subject: readonly { readonly name: string; readonly digest: { readonly sha256: string } }[];
  readonly predicateType: typeof VSA_PREDICATE_TYPE;
  readonly predicate: VerificationSummaryPredicate;
}

/** What {@link verificationSummary} is built from. */
export interface VerificationSummaryInput {
  /** `registry/repository` and the index digest decided. */
  readonly image: { readonly name: string; readonly digest: Digest };
  readonly verifier: { readonly id: string; readonly version: string };
  readonly timeVerified: string;
  readonly policy: { readonly uri: string; readonly digest: Digest };
  readonly decision: PortcullisDecisionFacts;
}

/**
 * Builds the statement Portcullis signs for a decision: the subject is the index digest, the result PASSED
 * only for a pass. Pure: the caller signs and pushes it.
 * @example const statement = verificationSummary({ image, verifier, timeVerified, policy, decision })
 */
export function verificationSummary(input: VerificationSummaryInput): VerificationSummaryStatement {
  const hex = (digest: Digest) => digest.slice("sha256:".length);
  return {
    _type: STATEMENT_TYPE,
    subject: [{ name: input.image.name, digest: { sha256: hex(input.image.digest) } }],
    predicateType: VSA_PREDICATE_TYPE,
    predicate: {
      verifier: { id: input.verifier.id, version: { portcullis: input.verifier.version } },
      timeVerified: input.timeVerified,
      resourceUri: `${input.image.name}@${input.image.digest}`,
      policy: { uri: input.policy.uri, digest: { sha256: hex(input.policy.digest) } },
      inputAttestations: [],
      verificationResult: input.decision.outcome === "passed" ? "PASSED" : "FAILED",
      verifiedLevels: [],
      slsaVersion: "1.0",
      portcullis: input.decision,
    },
  };
}
