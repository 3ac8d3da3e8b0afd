import type { VerdictSummary } from "../../policy/index.ts";
// From its file, not the barrel: the barrel reaches parsePolicy and would put the YAML parser in init.
import { verdictSummarySchema } from "../../policy/verdictSummarySchema.ts";
import type { Candidate, DecidedCandidate, JsonValue, PromotedCandidate } from "../../release/index.ts";
import { refAllowed } from "../../tags/index.ts";
import type { HandlerSettings } from "../HandlerDeps.ts";

/** Most reason sentences an event or a notification carries. */
const MAX_REASONS = 20;

/**
 * The decision's reasons as sentences, for the "Release Decided" event and notifications: the policy's
 * failure reasons, the platforms a timeout waited for, and why a passing build is not promoted.
 * @example decisionReasons(state, settings) // ["linux/amd64: 2 fixable HIGH findings, limit 0"]
 */
export function decisionReasons(
  state: DecidedCandidate | PromotedCandidate,
  settings: Pick<HandlerSettings, "refFilter">,
): string[] {
  const reasons = reasonSentences(state.decision.reasons);
  const blocker = promotionBlocker(state, settings);
  if (state.decision.outcome === "passed" && blocker !== undefined)
    reasons.push(`passed, but not promoted: ${blocker}`);
  if (reasons.length <= MAX_REASONS) return reasons;
  return [...reasons.slice(0, MAX_REASONS - 1), `… and ${reasons.length - MAX_REASONS + 1} more`];
}

/**
 * Why a candidate has no promotion tags: its ref is not one the configuration promotes, or the image did not
 * say which ref it was built from. Undefined when it has tags to promote.
 */
export function promotionBlocker(
  state: Candidate,
  settings: Pick<HandlerSettings, "refFilter">,
): string | undefined {
  if (state.tags.promotion.length > 0) return undefined;
  const ref = state.git.ref;
  if (ref === undefined) return "the image names no git ref (org.opencontainers.image.ref.name)";
  const allowed = refAllowed(ref, settings.refFilter ?? {});
  return allowed.kind === "denied" ? allowed.reason : `ref ${ref} yields no promotion tags`;
}

/** The most severe blocking finding's severity, for notification filtering; NONE without one. */
export function highestSeverity(reasons: JsonValue): string {
  return asVerdictSummary(reasons)?.blocking.items[0]?.severity ?? "NONE";
}

/** The stored reasons as a verdict summary, when that is what they are. */
export function asVerdictSummary(reasons: JsonValue): VerdictSummary | undefined {
  const summary = verdictSummarySchema.safeParse(reasons);
  return summary.success ? summary.data : undefined;
}

function reasonSentences(reasons: JsonValue): string[] {
  const summary = asVerdictSummary(reasons);
  if (summary) {
    // An image passed without a scan is said first, and loudly: nothing was scanned.
    const unscanned = summary.warnings.items
      .filter((w) => w.kind === "unsupported-image-excepted")
      .map((w) => `⚠️ ${w.text}`);
    const texts = [...unscanned, ...summary.reasons.items.map((r) => r.text)];
    return summary.reasons.omitted > 0 ? [...texts, `… and ${summary.reasons.omitted} more`] : texts;
  }
  const timeout = reasons as { kind?: unknown; deadline?: unknown; waiting?: unknown } | null;
  if (timeout?.kind === "timeout" && Array.isArray(timeout.waiting))
    return (timeout.waiting as { platform: string; status: string | null }[]).map(
      (w) =>
        `${w.platform}: no final scan by ${String(timeout.deadline)} (last status ${w.status ?? "none"}; fail closed)`,
    );
  return [];
}
