import type { Candidate, PromotedCandidate } from "../release/index.ts";
import { clipLine } from "./fitText.ts";
import { readDecision } from "./readDecision.ts";

/** Where a candidate stands, as the report tells it. */
export type ReportStage = "scanning" | "passed" | "not-promoted" | "rejected" | "timed-out" | "promoted";

/** A candidate's stage and a one-line title for it. */
export interface Headline {
  readonly stage: ReportStage;
  readonly title: string;
}

const MAX_TITLE = 200;

/**
 * The stage and one-line title of a candidate: scanning (n of m platforms), passed (promoting, or not
 * promoted when its ref yields no promotion tags), rejected
 * (why), timed out (waiting for which platforms), promoted (as which tags, replication so far).
 * @example candidateHeadline(candidate).title // => "Promoted as 1.2.3, latest; replicated to 2 of 2 regions"
 */
export function candidateHeadline(candidate: Candidate): Headline {
  switch (candidate.phase) {
    case "scanning": {
      const scanned = candidate.children.filter((c) => candidate.scans[c.digest] !== undefined).length;
      return headline(
        "scanning",
        `Waiting for scans: ${scanned} of ${candidate.children.length} platforms scanned`,
      );
    }
    case "decided": {
      const { outcome } = candidate.decision;
      if (outcome === "passed" && candidate.tags.promotion.length === 0)
        return headline("not-promoted", notPromotedTitle(candidate));
      if (outcome === "passed") return headline("passed", "Passed the gate; promoting");
      if (outcome === "timed-out") return headline("timed-out", timeoutTitle(candidate));
      return headline("rejected", rejectedTitle(candidate));
    }
    case "promoted":
      return headline("promoted", promotedTitle(candidate));
  }
}

function headline(stage: ReportStage, title: string): Headline {
  return { stage, title: clipLine(title, MAX_TITLE) };
}

function rejectedTitle(candidate: Candidate & { phase: "decided" }): string {
  const details = readDecision(candidate.decision);
  if (details.kind !== "verdict") return "Rejected";
  const { blocking, reasons } = details.summary;
  const total = blocking.items.length + blocking.omitted;
  if (total > 0) return `Rejected: ${total} blocking ${total === 1 ? "finding" : "findings"}`;
  const first = reasons.items[0];
  if (first === undefined) return "Rejected";
  const more = reasons.items.length + reasons.omitted - 1;
  return `Rejected: ${first.text}${more > 0 ? ` (and ${more} more)` : ""}`;
}

function notPromotedTitle(candidate: Candidate): string {
  const ref = candidate.git.ref ? ` for ${candidate.git.ref}` : " (the image names no git ref)";
  return `Passed the gate; not promoted: no promotion tags${ref}`;
}

function timeoutTitle(candidate: Candidate & { phase: "decided" }): string {
  const details = readDecision(candidate.decision);
  if (details.kind !== "timeout" || details.waiting.length === 0) return "Timed out waiting for scans";
  return `Timed out waiting for scans of ${details.waiting.map((w) => w.platform).join(", ")}`;
}

function promotedTitle(candidate: PromotedCandidate): string {
  const tags = candidate.promotion.tags.join(", ");
  const replicas = Object.entries(candidate.replicas);
  const base = tags === "" ? "Promoted" : `Promoted as ${tags}`;
  if (replicas.length === 0) return base;
  const failed = replicas.filter(([, r]) => r.status === "failed").map(([region]) => region);
  if (failed.length > 0) return `${base}; replication failed in ${failed.join(", ")}`;
  const done = replicas.filter(([, r]) => r.status === "replicated").length;
  return `${base}; replicated to ${done} of ${replicas.length} regions`;
}
