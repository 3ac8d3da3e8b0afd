import type { VerdictSummary } from "../policy/index.ts";
// From its file, not the barrel: the barrel reaches parsePolicy and would put the YAML parser in init.
import { verdictSummarySchema } from "../policy/verdictSummarySchema.ts";
import type { Decision, JsonValue } from "../release/index.ts";

/** A platform the gate was still waiting for when the scan deadline passed. */
export interface WaitingPlatform {
  readonly platform: string;
  readonly digest: string;
  readonly status: string | null;
}

/** What a decision's stored reasons say, as far as the report can read them. */
export type DecisionDetails =
  | { readonly kind: "verdict"; readonly summary: VerdictSummary }
  | { readonly kind: "timeout"; readonly deadline: string; readonly waiting: readonly WaitingPlatform[] }
  | { readonly kind: "unreadable"; readonly reasons: JsonValue };

/**
 * Reads a decision's `reasons`: the gate's {@link VerdictSummary}, the reconciler's timeout record, or
 * something else (kept as is, rendered as "details unavailable" rather than failing the report).
 * @example const details = readDecision(candidate.decision); if (details.kind === "verdict") …
 */
export function readDecision(decision: Decision): DecisionDetails {
  const { reasons } = decision;
  const summary = verdictSummarySchema.safeParse(reasons);
  if (summary.success) return { kind: "verdict", summary: summary.data };
  if (isObject(reasons) && reasons.kind === "timeout" && typeof reasons.deadline === "string") {
    const waiting = Array.isArray(reasons.waiting) ? reasons.waiting.filter(isWaiting) : [];
    return { kind: "timeout", deadline: reasons.deadline, waiting };
  }
  return { kind: "unreadable", reasons };
}

function isObject(value: JsonValue): value is { readonly [key: string]: JsonValue } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isWaiting(value: JsonValue): value is WaitingPlatform & { readonly [key: string]: JsonValue } {
  return (
    isObject(value) &&
    typeof value.platform === "string" &&
    typeof value.digest === "string" &&
    (value.status === null || typeof value.status === "string")
  );
}
