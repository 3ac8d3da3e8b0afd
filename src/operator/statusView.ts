import type { Candidate } from "../release/index.ts";
import { replicationRetry, waitingChildren } from "../release/index.ts";
import { readDecision } from "../report/readDecision.ts";
import { headOf, type TagHistoryEntry } from "../store/index.ts";

/** How one region's copy of a promoted release stands. */
export interface RegionStatus {
  readonly region: string;
  readonly state: "done" | "pending" | "failed";
  readonly attempts: number;
  readonly error?: string;
  /** ISO 8601: when the reconciler asks for the next attempt (failed regions with attempts left). */
  readonly nextRetry?: string;
}

/** One candidate as `portcullis status` shows it (the `--json` shape). */
export interface CandidateStatus {
  readonly repository: string;
  readonly digest: string;
  readonly commit: string | null;
  readonly ref: string | null;
  readonly registeredAt: string;
  readonly phase: Candidate["phase"];
  /** passed, failed, timed-out; null while scanning. */
  readonly decision: string | null;
  readonly decidedAt: string | null;
  readonly reasons: readonly string[];
  readonly blocking: readonly {
    readonly id: string;
    readonly severity: string;
    readonly platforms: readonly string[];
  }[];
  readonly exceptions: readonly { readonly id: string; readonly owner: string; readonly expiresAt: string }[];
  readonly promotedTags: readonly string[];
  /** The promotion tags whose history says they point here now (after later releases, rollbacks, demotions). */
  readonly tagsNow: readonly string[];
  /** ISO 8601: when a new finding demoted it (`onNewFinding: demote`), or null. */
  readonly demotedAt: string | null;
  /** Tags an operator rolled back off it, and when. */
  readonly rolledBackOff: readonly { readonly tag: string; readonly at: string }[];
  readonly regions: readonly RegionStatus[];
  /** A scanning candidate: the platforms it waits for, and the deadline past which it fails closed. */
  readonly waiting: { readonly platforms: readonly string[]; readonly until: string } | null;
}

/** Settings that say when a failed region is retried. */
export interface StatusOptions {
  readonly maxReplicationAttempts: number;
  readonly replicationRetryMinutes: number;
}

/**
 * What an operator asks of a candidate: its commit and ref, phase, the decision and its reasons (blocking
 * findings, exceptions used and their expiries), promoted tags, each replica region's state (with the next
 * retry or the error), and what a scanning candidate waits for until when. Pure.
 * @example candidateStatus(candidate, new Date(), { maxReplicationAttempts: 5, replicationRetryMinutes: 15 })
 */
export function candidateStatus(
  candidate: Candidate,
  now: Date,
  options: StatusOptions,
  histories: ReadonlyMap<string, readonly TagHistoryEntry[]> = new Map(),
): CandidateStatus {
  const digest = candidate.key.digest;
  const mine = [...histories].map(([tag, entries]) => ({
    tag,
    entries,
    own: entries.filter((e) => e.digest === digest),
  }));
  const details = candidate.phase === "scanning" ? undefined : readDecision(candidate.decision);
  const summary = details?.kind === "verdict" ? details.summary : undefined;
  const reasons =
    summary?.reasons.items.map((r) => r.text) ??
    (details?.kind === "timeout"
      ? [
          `scans still missing at the deadline ${details.deadline}: ${details.waiting.map((w) => w.platform).join(", ")}`,
        ]
      : []);
  return {
    repository: candidate.key.repository,
    digest: candidate.key.digest,
    commit: candidate.git.revision ?? null,
    ref: candidate.git.ref ?? null,
    registeredAt: candidate.registeredAt,
    phase: candidate.phase,
    decision: candidate.phase === "scanning" ? null : candidate.decision.outcome,
    decidedAt: candidate.phase === "scanning" ? null : candidate.decision.at,
    reasons,
    blocking: (summary?.blocking.items ?? []).map((f) => ({
      id: f.id,
      severity: f.severity,
      platforms: f.platforms,
    })),
    exceptions: (summary?.allowlisted.items ?? []).map((f) => ({
      id: f.id,
      owner: f.owner,
      expiresAt: f.expiresAt,
    })),
    promotedTags: candidate.phase === "promoted" ? candidate.promotion.tags : [],
    tagsNow: mine.filter((h) => headOf(h.entries) === digest).map((h) => h.tag),
    demotedAt: mine.flatMap((h) => h.own.map((e) => e.demotedAt ?? [])).flat()[0] ?? null,
    rolledBackOff: mine.flatMap((h) =>
      h.own.flatMap((e) => (e.rolledBackAt === undefined ? [] : [{ tag: h.tag, at: e.rolledBackAt }])),
    ),
    regions: regionsOf(candidate, now, options),
    waiting:
      candidate.phase === "scanning"
        ? { platforms: waitingChildren(candidate).map((c) => c.platform), until: candidate.deadline }
        : null,
  };
}

function regionsOf(candidate: Candidate, now: Date, options: StatusOptions): RegionStatus[] {
  if (candidate.phase !== "promoted") return [];
  const retry = replicationRetry(candidate, now, {
    maxReplicationAttempts: options.maxReplicationAttempts,
    retryAfterMinutes: options.replicationRetryMinutes,
  });
  return Object.entries(candidate.replicas)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([region, replica]) => {
      const base = { region, attempts: replica.attempts };
      if (replica.status === "replicated") return { ...base, state: "done" as const };
      const error = replica.error === undefined ? {} : { error: replica.error };
      const nextRetry =
        replica.status === "failed" && replica.attempts < options.maxReplicationAttempts
          ? retry.kind === "wait" && retry.regions.includes(region)
            ? { nextRetry: retry.until }
            : { nextRetry: now.toISOString() }
          : {};
      return {
        ...base,
        state: replica.status === "pending" ? ("pending" as const) : ("failed" as const),
        ...error,
        ...nextRetry,
      };
    });
}

/**
 * The human form of `portcullis status`: one block per candidate, newest first.
 * @example io.stdout(renderStatus(rows))
 */
export function renderStatus(rows: readonly CandidateStatus[]): string {
  if (rows.length === 0) return "No candidates.\n";
  const blocks = rows.map((row) => {
    const head = `${row.repository}@${row.digest.slice(0, 19)}…  ${label(row)}`;
    const lines = [
      head,
      `  commit ${row.commit?.slice(0, 12) ?? "?"}  ref ${row.ref ?? "?"}  registered ${row.registeredAt}`,
    ];
    if (row.waiting)
      lines.push(
        `  waiting for scans of ${row.waiting.platforms.join(", ") || "nothing"} until ${row.waiting.until}`,
      );
    for (const reason of row.reasons) lines.push(`  - ${reason}`);
    for (const f of row.blocking) lines.push(`  blocking ${f.severity} ${f.id} (${f.platforms.join(", ")})`);
    for (const e of row.exceptions)
      lines.push(`  exception ${e.id} (owner ${e.owner}, expires ${e.expiresAt})`);
    if (row.promotedTags.length > 0)
      lines.push(
        `  promoted as ${row.promotedTags.join(" ")}; tags here now: ${row.tagsNow.join(" ") || "none"}`,
      );
    if (row.demotedAt) lines.push(`  demoted ${row.demotedAt} (a new finding; onNewFinding: demote)`);
    for (const r of row.rolledBackOff) lines.push(`  ${r.tag} rolled back off it ${r.at}`);
    for (const r of row.regions) {
      const extra = [
        r.error ? `error: ${r.error}` : "",
        r.nextRetry ? `next retry ${r.nextRetry}` : "",
        r.state === "failed" && !r.nextRetry ? "no attempts left" : "",
      ].filter(Boolean);
      lines.push(
        `  ${r.region.padEnd(16)} ${r.state} (${r.attempts} attempt${r.attempts === 1 ? "" : "s"})${extra.length ? `: ${extra.join("; ")}` : ""}`,
      );
    }
    return lines.join("\n");
  });
  return `${blocks.join("\n\n")}\n`;
}

function label(row: CandidateStatus): string {
  if (row.phase === "scanning") return "scanning";
  if (row.phase === "promoted") return row.demotedAt ? "promoted, then DEMOTED" : "promoted";
  return row.decision === "passed" ? "passed, promotion pending" : `rejected (${row.decision})`;
}
