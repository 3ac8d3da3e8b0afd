import type { PromotedCandidate } from "../release/index.ts";
import { code, escapeMarkdown } from "./markdown.ts";
import { rollbackCommand } from "./rollbackCommand.ts";

/** Promoted tags, the command that rolls them back, and the per-region replication list (regions sorted by name). */
export function renderPromotion(candidate: PromotedCandidate): string[] {
  const tags = candidate.promotion.tags.map(code).join(" ");
  const lines = [`**Promoted tags:** ${tags || "_none_"} (at ${candidate.promotion.at})`];
  const undo = rollbackCommand(candidate.key.repository, candidate.promotion.tags);
  if (undo)
    lines.push(
      "",
      "**Roll back** (the floating tags return to the release before, in every region):",
      "",
      "```sh",
      undo,
      "```",
    );
  const regions = Object.entries(candidate.replicas).sort(([a], [b]) => a.localeCompare(b));
  if (regions.length === 0) return lines;
  lines.push("", "**Replication:**", "");
  for (const [region, replica] of regions) {
    const attempts = replica.attempts === 1 ? "1 attempt" : `${replica.attempts} attempts`;
    if (replica.status === "replicated") lines.push(`- ✅ ${code(region)}: replicated (${replica.at})`);
    else if (replica.status === "pending") lines.push(`- ⏳ ${code(region)}: pending`);
    else {
      const error = escapeMarkdown(replica.error ?? "unknown error");
      lines.push(`- ❌ ${code(region)}: failed after ${attempts}: ${error}`);
    }
  }
  return lines;
}
