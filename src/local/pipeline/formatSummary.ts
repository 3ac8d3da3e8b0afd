import { relative } from "node:path";
import type { RunSummary } from "./RunSummary.ts";

/**
 * The final summary of a local run: decision with reasons, promoted tags, each region's digest (and
 * whether they are equal), where the report and notifications went, and the verdict on the run itself.
 * Files are shown relative to `cwd` when given.
 * @example io.stdout(formatSummary(report, process.cwd()));
 */
export function formatSummary(run: RunSummary, cwd?: string): string {
  const path = (file: string) => (cwd && file.startsWith("/") ? relative(cwd, file) : file);
  const lines: string[] = ["", "Summary"];
  const row = (label: string, text: string) => lines.push(`  ${label.padEnd(11)}${text}`);
  const more = (text: string) => lines.push(`  ${"".padEnd(11)}${text}`);
  row("Scenario", `${run.scenario.name}${run.scenario.description ? ` — ${run.scenario.description}` : ""}`);
  row("Policy", path(run.scenario.policyFile));
  row("Image", `${run.image.repository}:${run.image.buildTag}`);
  more(`index ${run.image.digest}`);
  for (const platform of run.image.platforms) more(`${platform.platform.padEnd(14)}${platform.digest}`);
  row("Decision", run.decision ? run.decision.outcome.toUpperCase() : "none");
  for (const reason of run.decision?.reasons ?? []) more(`• ${reason}`);
  row("Promoted", run.promotedTags.length > 0 ? run.promotedTags.join(", ") : "nothing");
  regionLines(run, row, more);
  watchLines(run, row, more);
  attestationLines(run, row, more);
  for (const report of run.reports) row("Report", `${report.what}: ${path(report.where)}`);
  for (const sent of run.notifications) row("Notify", `${sent.what}: ${path(sent.where)}`);
  if (run.reconcileRuns > 0) row("Reconcile", `${run.reconcileRuns} scheduled run(s) in simulated time`);
  for (const note of run.notes) row("Note", note);
  if (run.problems.length === 0) row("Result", "OK — the pipeline did what the policy says");
  else {
    row("Result", `BROKEN — ${run.problems.length} problem(s):`);
    for (const problem of run.problems) more(`✗ ${problem}`);
  }
  return `${lines.join("\n")}\n`;
}

function watchLines(run: RunSummary, row: (l: string, t: string) => void, more: (t: string) => void): void {
  const watch = run.watch;
  if (!watch) return;
  const lines = [
    ...(watch.demotion ? [`demotion due ${watch.demotion.at} (${watch.demotion.finding.id})`] : []),
    ...(watch.demotedAt ? [`demoted ${watch.demotedAt}`] : []),
    ...(watch.unmonitoredSince
      ? [`no longer monitored since ${watch.unmonitoredSince} (SCAN_ELIGIBILITY_EXPIRED)`]
      : []),
  ];
  for (const [index, line] of lines.entries()) {
    if (index === 0) row("Later", line);
    else more(line);
  }
}

function attestationLines(
  run: RunSummary,
  row: (l: string, t: string) => void,
  more: (t: string) => void,
): void {
  const attestations = run.attestations ?? [];
  for (const [index, a] of attestations.entries()) {
    const text = a.verified
      ? `✓ ${a.region}: verified, ${a.passed ? "PASSED" : "FAILED"} (${a.attestation?.slice(0, 19)}…)`
      : `✗ ${a.region}: not verified: ${a.reason}`;
    if (index === 0) row("Attested", text);
    else more(text);
  }
  if (attestations[0]) more(`check it: ${attestations[0].command}`);
}

function regionLines(run: RunSummary, row: (l: string, t: string) => void, more: (t: string) => void): void {
  const tags = run.promotedTags.length > 0 ? run.promotedTags : [run.image.buildTag];
  run.regions.forEach((region, index) => {
    const held = tags.map((tag) => `${tag} → ${region.tags[tag]?.slice(0, 19) ?? "(none)"}`).join(", ");
    const text = `${region.region.padEnd(16)}${region.registry.padEnd(17)}${Object.keys(region.tags).length ? held : "(no tags)"}`;
    if (index === 0) row("Regions", text);
    else more(text);
  });
  if (run.promotedTags.length === 0) return;
  const digests = new Set(run.regions.flatMap((region) => tags.map((tag) => region.tags[tag] ?? "missing")));
  more(
    digests.size === 1 && digests.has(run.image.digest)
      ? `✓ every tag in all ${run.regions.length} regions points at the index ${run.image.digest.slice(0, 19)}…`
      : "✗ the regions do not agree (see the problems below)",
  );
}
