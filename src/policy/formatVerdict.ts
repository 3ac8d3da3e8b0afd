import { SEVERITIES, type SeverityCounts } from "../core/index.ts";
import type { Finding } from "../findings/index.ts";
import { describeReason } from "./describeReason.ts";
import { describeWarning } from "./describeWarning.ts";
import type { ResolvedLimits } from "./Policy.ts";
import type { PlatformVerdict, Verdict } from "./Verdict.ts";

const LABEL_WIDTH = 16;

/**
 * Renders a verdict as a plain-text report: per platform a severity table (all findings, counted
 * fixable/unfixable and their limits), blocking findings with fix versions and links, allowlisted
 * findings with expiry, expired entries; then warnings and the overall result with every reason.
 * @example process.stdout.write(formatVerdict(evaluatePolicy(input)))
 */
export function formatVerdict(verdict: Verdict): string {
  const lines = [`Portcullis gate: ${verdict.repository}  (evaluated ${verdict.evaluatedAt})`];
  for (const platform of verdict.platforms)
    lines.push("", ...platformSection(platform, verdict.policy.thresholds));
  if (verdict.warnings.length > 0)
    lines.push("", "Warnings:", ...verdict.warnings.map((w) => `  - ${describeWarning(w)}`));
  lines.push(
    "",
    `Result: ${verdict.outcome.toUpperCase()}`,
    ...verdict.reasons.map((r) => `  - ${describeReason(r)}`),
  );
  return `${lines.join("\n")}\n`;
}

function platformSection(p: PlatformVerdict, limits: Verdict["policy"]["thresholds"]): string[] {
  const lines = [`${p.platform}  ${p.digest}  ${p.status}  ${p.outcome.toUpperCase()}`];
  if (p.status !== "MISSING") {
    lines.push(
      ...table([
        ["", SEVERITIES],
        ["all findings", countCells(p.counts)],
        ["fixable", countCells(p.counted.fixable)],
        ["  limit", limitCells(limits.fixable)],
        ["unfixable", countCells(p.counted.unfixable)],
        ["  limit", limitCells(limits.unfixable)],
      ]),
    );
  }
  if (p.blocking.length > 0) {
    lines.push("  Blocking:");
    for (const { finding, fixability, threshold } of p.blocking) {
      const rule = `${fixability} ${threshold.severity}: ${threshold.actual} > limit ${threshold.limit}`;
      lines.push(`    ${describeFinding(finding)}  [${rule}]${link(finding)}`);
    }
  }
  if (p.allowlisted.length > 0) {
    lines.push("  Allowlisted:");
    for (const { finding, entry } of p.allowlisted) {
      const why = `until ${entry.expires} (${entry.field}, ${entry.owner}: ${entry.reason})`;
      lines.push(`    ${describeFinding(finding)}  ${why}`);
    }
  }
  if (p.expiredAllowlist.length > 0) {
    lines.push("  Allowlist entry expired (counted again):");
    for (const { finding, entry } of p.expiredAllowlist) {
      lines.push(
        `    ${describeFinding(finding)}  expired ${entry.expires} (${entry.field}, ${entry.owner})`,
      );
    }
  }
  return lines;
}

function describeFinding(finding: Finding): string {
  const pkg = [finding.package, finding.installedVersion].filter(Boolean).join(" ");
  return [finding.severity.padEnd(8), finding.id, pkg, fixText(finding)].filter(Boolean).join("  ");
}

function fixText(finding: Finding): string {
  if (finding.fixedInVersion) return `fix: ${finding.fixedInVersion}`;
  if (finding.fixAvailable === "NO") return "no fix";
  return finding.fixAvailable === "UNKNOWN" ? "fix: unknown" : `fix: ${finding.fixAvailable.toLowerCase()}`;
}

function link(finding: Finding): string {
  return finding.link ? `  ${finding.link}` : "";
}

function countCells(counts: SeverityCounts): string[] {
  return SEVERITIES.map((severity) => String(counts[severity]));
}

function limitCells(limits: ResolvedLimits): string[] {
  return SEVERITIES.map((severity) => (limits[severity] === null ? "-" : String(limits[severity])));
}

/** Right-aligned columns, each as wide as its widest cell plus two spaces, so large counts never touch. */
function table(rows: ReadonlyArray<readonly [string, readonly string[]]>): string[] {
  const widths = SEVERITIES.map((_, i) => 2 + Math.max(...rows.map(([, cells]) => cells[i]?.length ?? 0)));
  return rows.map(
    ([label, cells]) =>
      `  ${label.padEnd(LABEL_WIDTH)}${cells.map((cell, i) => cell.padStart(widths[i] ?? 0)).join("")}`,
  );
}
