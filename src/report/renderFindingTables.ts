import { SEVERITIES } from "../core/index.ts";
import type { Bounded, FindingSummary, VerdictSummary } from "../policy/index.ts";
import { code, escapeMarkdown, markdownLink, markdownTable } from "./markdown.ts";

/**
 * The details section: blocking findings (with fix versions and links), allowlisted findings with their
 * expiry, expired allowlist entries, warnings and the thresholds applied. Empty lists are left out.
 */
export function renderFindingTables(summary: VerdictSummary): string[] {
  const lines: string[] = [];
  const section = (title: string, body: string[]) => lines.push(`### ${title}`, "", ...body, "");
  const { blocking, allowlisted, expiredAllowlist, warnings } = summary;
  if (total(blocking) > 0) section(`Blocking findings (${total(blocking)})`, blockingTable(blocking));
  if (total(allowlisted) > 0) section(`Allowlisted (${total(allowlisted)})`, allowlistedTable(allowlisted));
  if (total(expiredAllowlist) > 0)
    section(
      `Allowlist entries expired, counted again (${total(expiredAllowlist)})`,
      expiredTable(expiredAllowlist),
    );
  if (total(warnings) > 0)
    section("Warnings", [
      ...warnings.items.map((w) => `- ${escapeMarkdown(w.text)}`),
      ...omittedLine(warnings, "warnings"),
    ]);
  section("Thresholds applied", limitsTable(summary.limits));
  return lines;
}

function total<T>(list: Bounded<T>): number {
  return list.items.length + list.omitted;
}

function blockingTable(list: Bounded<FindingSummary>): string[] {
  const rows = list.items.map((f) => [
    f.severity,
    findingLink(f),
    packageCell(f),
    fixCell(f),
    f.fixability,
    escapeMarkdown(f.platforms.join(", ")),
  ]);
  return [
    ...markdownTable(["Severity", "Vulnerability", "Package", "Fixed in", "Counted as", "Platforms"], rows),
    ...omittedLine(list, "blocking findings"),
  ];
}

function allowlistedTable(list: VerdictSummary["allowlisted"]): string[] {
  const rows = list.items.map((f) => [
    f.severity,
    findingLink(f),
    packageCell(f),
    lastDay(f.expiresAt),
    escapeMarkdown(f.owner),
    escapeMarkdown(f.reason),
  ]);
  return [
    ...markdownTable(["Severity", "Vulnerability", "Package", "Allowed until", "Owner", "Reason"], rows),
    ...omittedLine(list, "allowlisted findings"),
  ];
}

function expiredTable(list: VerdictSummary["expiredAllowlist"]): string[] {
  const rows = list.items.map((f) => [
    f.severity,
    findingLink(f),
    packageCell(f),
    lastDay(f.expiredAt),
    escapeMarkdown(f.owner),
    code(f.entry),
  ]);
  return [
    ...markdownTable(["Severity", "Vulnerability", "Package", "Valid until", "Owner", "Policy entry"], rows),
    ...omittedLine(list, "findings"),
  ];
}

function limitsTable(limits: VerdictSummary["limits"]): string[] {
  const severities = SEVERITIES;
  const cell = (value: number | null) => (value === null ? "—" : String(value));
  return markdownTable(
    ["", ...severities],
    [
      ["fixable", ...severities.map((s) => cell(limits.fixable[s]))],
      ["unfixable", ...severities.map((s) => cell(limits.unfixable[s]))],
    ],
  );
}

function findingLink(f: FindingSummary): string {
  const link = markdownLink(f.id, f.link);
  return f.title ? `${link}<br>${escapeMarkdown(f.title)}` : link;
}

function packageCell(f: FindingSummary): string {
  if (f.package === null) return "";
  return f.installed === null
    ? escapeMarkdown(f.package)
    : `${escapeMarkdown(f.package)} ${code(f.installed)}`;
}

function fixCell(f: FindingSummary): string {
  if (f.fixedIn !== null) return code(f.fixedIn);
  return f.fixability === "unfixable" ? "no fix" : "unknown";
}

function omittedLine<T>(list: Bounded<T>, what: string): string[] {
  return list.omitted > 0 ? ["", `_…and ${list.omitted} more ${what} not shown._`] : [];
}

/** The last day an entry applied: entries run to the end of their `expires` day, so the instant is the next midnight. */
function lastDay(instant: string): string {
  const ms = Date.parse(instant);
  return Number.isNaN(ms) ? escapeMarkdown(instant) : new Date(ms - 1).toISOString().slice(0, 10);
}
