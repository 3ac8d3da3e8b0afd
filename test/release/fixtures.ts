import type { Digest } from "../../src/core/digest.ts";
import { MediaType } from "../../src/core/mediaTypes.ts";
import type { ScanStatus } from "../../src/core/scanStatus.ts";
import type { Severity } from "../../src/core/severity.ts";
import type { Candidate, CandidateKey, Child } from "../../src/release/Candidate.ts";
import type { ScanInput } from "../../src/release/parseScan.ts";
import { type RegisterCandidateInput, registerCandidate } from "../../src/release/registerCandidate.ts";
import type { Transition } from "../../src/release/Transition.ts";

/** A valid digest made from a small number, distinct per number. */
export function digest(n: number): Digest {
  return `sha256:${n.toString(16).padStart(64, "0")}`;
}

export const COMMIT = "0123456789abcdef0123456789abcdef01234567";
export const INDEX = digest(0x100);
export const AMD64 = digest(0xa1);
export const ARM64 = digest(0xa2);
export const ATTESTATION = digest(0xa3);
export const T0 = new Date("2026-03-01T10:00:00.000Z");

/** `T0` plus some minutes. */
export function at(minutes: number): Date {
  return new Date(T0.getTime() + minutes * 60_000);
}

export const key: CandidateKey = { region: "us-east-1", repository: "team/app", digest: INDEX };

export const children: Child[] = [
  { digest: AMD64, platform: "linux/amd64", mediaType: MediaType.OciManifest },
  { digest: ARM64, platform: "linux/arm64", mediaType: MediaType.OciManifest },
];

export const tags = { build: `sha-${COMMIT}`, promotion: ["main", "latest"] };

/** A registration of the two-platform index, overridable. */
export function registration(overrides: Partial<RegisterCandidateInput> = {}): RegisterCandidateInput {
  return {
    key,
    kind: "index",
    children,
    git: { source: "https://github.com/org/app", revision: COMMIT, ref: "refs/heads/main" },
    tags,
    now: T0,
    timeoutMinutes: 60,
    ...overrides,
  };
}

/** A scan input; `minute` sets both its time and, unless given, its event id. */
export function scan(
  target: Digest,
  status: ScanStatus,
  minute: number,
  extra: { eventId?: string; counts?: Partial<Record<Severity, number>> } = {},
): ScanInput {
  return {
    digest: target,
    status,
    counts: extra.counts ?? {},
    scanner: "basic",
    at: at(minute),
    eventId: extra.eventId ?? `${target.slice(-4)}-${status}-${minute}`,
  };
}

/** The state of a changed transition; fails the test otherwise. */
export function stateOf(transition: Transition): Candidate {
  if (transition.kind !== "changed") throw new Error(`expected changed, got ${JSON.stringify(transition)}`);
  return transition.state;
}

/** A registered two-platform candidate. */
export function registered(overrides: Partial<RegisterCandidateInput> = {}): Candidate {
  return stateOf(registerCandidate(registration(overrides)));
}

/** Deep-copies through JSON, as a store round trip does. */
export function roundTrip<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
