import type { RollbackOutcome } from "../handlers/rollback/rollbackRelease.ts";

/**
 * The human form of a rollback's outcome: what moved where, each region's read-back, what `--force` overrode,
 * and the exact command that finishes a rollback some region did not confirm.
 * @example io.stdout(renderRollback(outcome, "p99 latency doubled"))
 */
export function renderRollback(outcome: RollbackOutcome, reason: string): string {
  const lines = [
    `Rolled back ${outcome.repository} ${outcome.tags.join(", ")} to ${outcome.to}${outcome.forced.length ? " (FORCED)" : ""}`,
  ];
  for (const f of outcome.forced) lines.push(`  forced past: ${f.field} ${String(f.value)} ${f.message}`);
  for (const r of outcome.regions)
    lines.push(
      r.kind === "moved"
        ? `  ${r.region.padEnd(16)} ok: ${r.moves.map((m) => `${m.tag} ${m.kind}`).join(", ")} (read back)`
        : `  ${r.region.padEnd(16)} FAILED: ${r.error}`,
    );
  if (outcome.regions.some((r) => r.kind === "failed"))
    lines.push(
      "Not confirmed everywhere; once the region answers, finish it with (idempotent):",
      `  portcullis rollback ${outcome.repository} --to ${outcome.to} --tags ${outcome.tags.join(",")} --reason ${JSON.stringify(reason)}`,
    );
  return `${lines.join("\n")}\n`;
}
