import type { TagHistoryEntry } from "../store/index.ts";

/** One move of a tag, as `portcullis history` shows it (the `--json` shape). */
export interface TagMoveView {
  readonly at: string;
  readonly digest: string;
  /** promotion, rollback; `demoted` / `rolled back` say when the digest was later taken off the tag. */
  readonly cause: "promotion" | "rollback";
  readonly by: string | null;
  readonly reason: string | null;
  readonly forced: boolean;
  readonly demotedAt: string | null;
  readonly rolledBackAt: string | null;
}

/** A tag's history and where it points in each region now. */
export interface TagHistoryView {
  readonly repository: string;
  readonly tag: string;
  /** The primary region, where the history is kept; replicas mirror it. */
  readonly region: string;
  readonly moves: readonly TagMoveView[];
  /** Each region's current digest for the tag (null: absent; an error string when the registry did not answer). */
  readonly regions: Readonly<Record<string, string | null>>;
}

/**
 * The view of a tag's history, newest first. Pure.
 * @example tagHistoryView("app", "latest", "us-east-1", history.entries, { "us-east-1": "sha256:…" })
 */
export function tagHistoryView(
  repository: string,
  tag: string,
  region: string,
  entries: readonly TagHistoryEntry[],
  regions: Readonly<Record<string, string | null>>,
): TagHistoryView {
  const moves = [...entries].reverse().map(
    (e): TagMoveView => ({
      at: e.at,
      digest: e.digest,
      cause: e.cause ?? "promotion",
      by: e.by ?? (e.cause === undefined ? "event" : null),
      reason: e.reason ?? null,
      forced: e.forced ?? false,
      demotedAt: e.demotedAt ?? null,
      rolledBackAt: e.rolledBackAt ?? null,
    }),
  );
  return { repository, tag, region, moves, regions };
}

/**
 * The human form of `portcullis history`.
 * @example io.stdout(renderHistory(view))
 */
export function renderHistory(view: TagHistoryView): string {
  const lines = [`${view.repository}:${view.tag} (history kept in ${view.region})`, "", "Now:"];
  for (const [region, digest] of Object.entries(view.regions))
    lines.push(`  ${region.padEnd(16)} ${digest ?? "(absent)"}`);
  lines.push("", "Moves, newest first:");
  if (view.moves.length === 0) lines.push("  (never moved by Portcullis)");
  for (const m of view.moves) {
    const who = m.by ? ` by ${m.by}` : "";
    const why = m.reason ? `: ${m.reason}` : "";
    const later = [
      m.forced ? "forced" : "",
      m.demotedAt ? `demoted ${m.demotedAt}` : "",
      m.rolledBackAt ? `rolled back off ${m.rolledBackAt}` : "",
    ].filter(Boolean);
    lines.push(
      `  ${m.at}  ${m.digest}  ${m.cause}${who}${why}${later.length ? ` [${later.join(", ")}]` : ""}`,
    );
  }
  return `${lines.join("\n")}\n`;
}
