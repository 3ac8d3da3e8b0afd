import { relative } from "node:path";
import type { RunSummary } from "./RunSummary.ts";

/**
 * The check run and Slack messages rendered locally (when GitHub or Slack are not configured), framed with
 * the file each was written to, for the terminal.
 * @example io.stdout(formatPreviews(report, process.cwd()));
 */
export function formatPreviews(run: RunSummary, cwd: string): string {
  const sections = [...run.reports, ...run.notifications]
    .filter((delivered) => delivered.preview !== undefined)
    .map((delivered) => {
      const rule = "─".repeat(100);
      return [
        `${rule}`,
        `${delivered.what} — ${relative(cwd, delivered.where)}`,
        rule,
        delivered.preview?.trimEnd(),
        "",
      ].join("\n");
    });
  return sections.length > 0 ? `\n${sections.join("\n")}` : "";
}
