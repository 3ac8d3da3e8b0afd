import type { ValidationIssue } from "../core/result.ts";
import { parseTagName } from "../core/tagName.ts";
import type { Candidate, PromotedCandidate, Replica } from "./Candidate.ts";
import { parseRegion } from "./parseCandidateKey.ts";
import { changed, rejected, type Transition, unchanged } from "./Transition.ts";
import { toInstant } from "./toInstant.ts";

/** What the promotion did. */
export interface MarkPromotedInput {
  /** The tags moved onto the candidate's digest. */
  readonly tags: readonly string[];
  readonly now: Date;
  /** Regions to copy the promoted image to; the candidate's own region is left out. */
  readonly replicateTo?: readonly string[];
}

/**
 * Records that the promotion tags were moved, and starts one `pending` replica per other region. Only a
 * `passed` decision can be promoted (rejected otherwise); a second call is `unchanged` "already-promoted".
 * @example const t = markPromoted(state, { tags: ["1.2.3", "latest"], now, replicateTo: ["eu-west-1"] });
 */
export function markPromoted(state: Candidate, input: MarkPromotedInput): Transition {
  if (state.phase === "promoted") return unchanged(state, "already-promoted");
  if (state.phase === "scanning") {
    return rejected([
      { field: "phase", value: state.phase, message: "cannot promote an undecided candidate" },
    ]);
  }
  const { decision } = state;
  if (decision.outcome !== "passed") {
    return rejected([
      { field: "decision.outcome", value: decision.outcome, message: "only a passed candidate is promoted" },
    ]);
  }
  const issues: ValidationIssue[] = [];
  const now = toInstant(input.now, "now");
  if (!now.ok) issues.push(...now.error);
  input.tags.forEach((tag, i) => {
    const parsed = parseTagName(tag, `tags[${i}]`);
    if (!parsed.ok) issues.push(...parsed.error);
  });
  (input.replicateTo ?? []).forEach((region, i) => {
    const parsed = parseRegion(region, `replicateTo[${i}]`);
    if (!parsed.ok) issues.push(...parsed.error);
  });
  if (issues.length > 0 || !now.ok) return rejected(issues);
  const regions = [...new Set(input.replicateTo ?? [])].filter((region) => region !== state.key.region);
  const replica: Replica = { status: "pending", attempts: 0, at: now.value };
  const next: PromotedCandidate = {
    ...state,
    phase: "promoted",
    decision: { ...decision, outcome: "passed" },
    promotion: { tags: [...new Set(input.tags)], at: now.value },
    replicas: Object.fromEntries(regions.map((region) => [region, replica])),
  };
  return changed(state, next, [{ kind: "promoted", tags: next.promotion.tags, regions }]);
}
