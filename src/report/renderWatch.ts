import type { Candidate } from "../release/index.ts";
import { code, escapeMarkdown } from "./markdown.ts";

const DAY_MS = 86_400_000;

/**
 * What happened to a promoted image since its promotion, for the check run's summary: a grace period's
 * countdown (deadline, days left at `now`, the finding), a demotion, and the end of monitoring
 * (SCAN_ELIGIBILITY_EXPIRED: closed findings are not fixes). Empty when nothing happened. Pure.
 * @example renderWatch(candidate, new Date()) // ["### ⏳ Demotion in 3 days", "", …]
 */
export function renderWatch(candidate: Candidate, now?: Date): string[] {
  if (candidate.phase !== "promoted" || candidate.watch === undefined) return [];
  const { demotion, demotedAt, unmonitoredSince } = candidate.watch;
  const lines: string[] = [];
  if (demotion) {
    const { finding } = demotion;
    const left = now ? Math.max(0, Math.ceil((Date.parse(demotion.at) - now.getTime()) / DAY_MS)) : undefined;
    const countdown = left === undefined ? "" : ` in ${left === 1 ? "1 day" : `${left} days`}`;
    lines.push(
      `### ⏳ Demotion${countdown}: ${demotion.at}`,
      "",
      `${code(finding.severity)} ${code(finding.id)} (${escapeMarkdown(finding.title)}) on ${code(finding.digest)}, ` +
        `seen ${demotion.since}: the promotion tags leave this image at ${demotion.at} unless the finding is ` +
        "fixed or allowlisted by then.",
      "",
    );
  }
  if (demotedAt)
    lines.push(`### ⬇️ Demoted ${demotedAt}`, "", "The promotion tags were moved back off this image.", "");
  if (unmonitoredSince)
    lines.push(
      `### 👁️ No longer monitored since ${unmonitoredSince}`,
      "",
      "Inspector's rescan window ended (`SCAN_ELIGIBILITY_EXPIRED`) and closed this image's findings: closed, " +
        "not fixed. New CVEs are no longer reported for it, and no demotion or warning is cleared because of it; " +
        "push the image again to have it scanned.",
      "",
    );
  return lines;
}
