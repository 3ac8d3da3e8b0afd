import type { Candidate, ScanningCandidate } from "./Candidate.ts";
import type { ScanInput } from "./parseScan.ts";
import type { ReleaseEffect } from "./ReleaseEffect.ts";
import { readyToDecide } from "./readyToDecide.ts";
import { recordScan } from "./recordScan.ts";
import { rejected, type Transition } from "./Transition.ts";
import { type RegistrationInput, validateRegistration } from "./validateRegistration.ts";

/** A registration, plus the scans a store kept for its children before it existed. */
export interface RegisterCandidateInput extends RegistrationInput {
  /**
   * Scans recorded before the candidate was registered (the store keeps them per platform image). They
   * count exactly as if they had arrived afterwards; ones that do not apply come back as `scan-ignored`.
   */
  readonly earlierScans?: readonly ScanInput[];
}

/**
 * Creates a candidate in phase `scanning` at version 1, with its deadline, and applies the earlier scans.
 * Always `changed` or `rejected`: a second registration of the same key is the store's conditional put.
 * @example
 * const t = registerCandidate({ key, kind: "index", children, git, tags, now, timeoutMinutes: 60, earlierScans });
 * if (t.kind === "changed") await store.createCandidate(t.state);
 */
export function registerCandidate(input: RegisterCandidateInput): Transition {
  const valid = validateRegistration(input);
  if (!valid.ok) return rejected(valid.error);
  const initial: ScanningCandidate = {
    schema: 1,
    key: valid.value.key,
    kind: input.kind,
    children: input.children.map(({ digest, platform, mediaType }) => ({ digest, platform, mediaType })),
    git: valid.value.git,
    tags: { build: input.tags.build, promotion: [...new Set(input.tags.promotion)] },
    scans: {},
    phase: "scanning",
    registeredAt: valid.value.registeredAt,
    deadline: valid.value.deadline,
    version: 1,
    seenEvents: [],
  };
  const effects: ReleaseEffect[] = [{ kind: "registered" }];
  let state: Candidate = initial;
  for (const scan of input.earlierScans ?? []) {
    const applied = recordScan(state, scan);
    if (applied.kind === "changed") state = { ...applied.state, version: 1 };
    if (applied.kind === "rejected")
      effects.push({ kind: "scan-ignored", eventId: scan?.eventId, issues: applied.issues });
  }
  if (readyToDecide(state)) effects.push({ kind: "ready" });
  return { kind: "changed", state, effects };
}
