import { SEVERITIES, type SeverityCounts } from "../core/index.ts";
import type { VerdictSummary } from "../policy/index.ts";
import type { Candidate } from "../release/index.ts";
import { code, escapeMarkdown, markdownTable } from "./markdown.ts";

const SEVERITY_LABELS = ["Critical", "High", "Medium", "Low", "Info", "Undefined"] as const;
const HEADER = ["Platform", "Image", "Scan", ...SEVERITY_LABELS, "Result"];

/**
 * The severity table, one row per platform: from the verdict when the gate decided, else from the scans
 * recorded so far (a platform without one shows "waiting").
 */
export function renderPlatformTable(candidate: Candidate, summary: VerdictSummary | undefined): string[] {
  const rows = summary
    ? summary.platforms.map(verdictRow)
    : candidate.children.map((c) => scanRow(candidate, c));
  if (rows.length === 0) return ["_No platform images._"];
  return markdownTable(HEADER, rows);
}

function verdictRow(p: VerdictSummary["platforms"][number]): string[] {
  const result = p.outcome === "pass" ? "✅ pass" : "❌ fail";
  return [escapeMarkdown(p.platform), shortDigest(p.digest), p.status, ...countCells(p.counts), result];
}

function scanRow(candidate: Candidate, child: Candidate["children"][number]): string[] {
  const scan = candidate.scans[child.digest];
  const cells = scan ? countCells(scan.counts) : SEVERITIES.map(() => "");
  return [
    escapeMarkdown(child.platform),
    shortDigest(child.digest),
    scan?.status ?? "⏳ waiting",
    ...cells,
    "",
  ];
}

function countCells(counts: SeverityCounts): string[] {
  return SEVERITIES.map((s) => (counts[s] > 0 ? `**${counts[s]}**` : "0"));
}

/** `sha256:` and the first 12 hex digits, as a code span. */
export function shortDigest(digest: string): string {
  return code(digest.slice(0, "sha256:".length + 12));
}
