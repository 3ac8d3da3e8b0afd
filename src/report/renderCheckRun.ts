import type { VerdictSummary } from "../policy/index.ts";
import type { Candidate } from "../release/index.ts";
import {
  CHECK_RUN_LIMITS,
  type CheckRunConclusion,
  type CheckRunRender,
  type CheckRunStatus,
} from "./CheckRunRender.ts";
import { candidateHeadline, type Headline, type ReportStage } from "./candidateHeadline.ts";
import { checkRunName } from "./checkRunName.ts";
import { clipLine, fitText } from "./fitText.ts";
import { code, escapeMarkdown, markdownLink, safeUrl } from "./markdown.ts";
import { type DecisionDetails, readDecision } from "./readDecision.ts";
import { renderAnnotations } from "./renderAnnotations.ts";
import { type AttestationReference, renderAttestation } from "./renderAttestation.ts";
import { renderFindingTables } from "./renderFindingTables.ts";
import { renderPlatformTable } from "./renderPlatformTable.ts";
import { renderPromotion } from "./renderReplication.ts";
import { renderWatch } from "./renderWatch.ts";

/** What a check run is rendered from. */
export interface CheckRunInput {
  readonly candidate: Candidate;
  /** The check's name; defaults to {@link checkRunName} of the repository. */
  readonly name?: string;
  /** Where "Details" links to (e.g. the ECR console page of the image). */
  readonly detailsUrl?: string;
  /** A file of the repository to attach blocking findings to (e.g. `Dockerfile`); no annotations without it. */
  readonly annotationPath?: string;
  /** Character limit of summary and text (tests lower it); GitHub's 65535 by default. */
  readonly maxChars?: number;
  /** When the report is made: a grace period's countdown is counted from it (none shown without). */
  readonly now?: Date;
  /** An operator rolled promotion tags back onto this release (`portcullis rollback`): shown first. */
  readonly rollback?: RollbackNotice;
  /** Say that the decision is signed and how to verify it (when the deployment attests decisions). */
  readonly attestation?: AttestationReference;
}

/** What a check run says about a rollback onto its release. */
export interface RollbackNotice {
  readonly tags: readonly string[];
  readonly by: string;
  readonly reason: string;
  readonly forced: boolean;
  /** Where each tag pointed before. */
  readonly from: Readonly<Record<string, string>>;
}

const ICONS: Record<ReportStage, string> = {
  scanning: "⏳",
  passed: "✅",
  "not-promoted": "✅",
  rejected: "❌",
  "timed-out": "⌛",
  promoted: "🚀",
};

const STATES: Record<ReportStage, { status: CheckRunStatus; conclusion?: CheckRunConclusion }> = {
  scanning: { status: "in_progress" },
  passed: { status: "in_progress" },
  "not-promoted": { status: "completed", conclusion: "success" },
  rejected: { status: "completed", conclusion: "failure" },
  "timed-out": { status: "completed", conclusion: "timed_out" },
  promoted: { status: "completed", conclusion: "success" },
};

/**
 * Renders a candidate as a GitHub check run: the verdict, a severity table per platform, the reasons,
 * promoted tags and per-region replication in the summary; blocking findings (fix versions, links),
 * allowlisted ones with expiry, expired entries, warnings and thresholds in the text. Untrusted strings
 * are escaped; summary and text are cut to GitHub's limit with a visible note. Pure.
 * @example
 * const run = renderCheckRun({ candidate, detailsUrl });
 * await github.createOrUpdateCheckRun(repo, candidate.git.revision, run);
 */
export function renderCheckRun(input: CheckRunInput): CheckRunRender {
  const { candidate } = input;
  const max = input.maxChars ?? CHECK_RUN_LIMITS.outputChars;
  const head = candidateHeadline(candidate);
  const details = "decision" in candidate ? readDecision(candidate.decision) : undefined;
  const state = STATES[head.stage];
  const annotations = input.annotationPath && details ? renderAnnotations(details, input.annotationPath) : [];
  const detailsUrl = safeUrl(input.detailsUrl);
  return {
    name: input.name ?? checkRunName(candidate.key.repository),
    status: state.status,
    ...(state.conclusion && { conclusion: state.conclusion, completed_at: completedAt(candidate) }),
    title: clipLine(input.rollback ? rollbackTitle(input.rollback) : head.title, CHECK_RUN_LIMITS.titleChars),
    summary: fitText(
      [
        ...(input.rollback ? rollbackLines(input.rollback) : []),
        ...summaryOf(candidate, head, details, input.now),
        ...(input.attestation ? renderAttestation(candidate, input.attestation) : []),
      ].join("\n"),
      max,
    ),
    text: fitText(textOf(details).join("\n"), max),
    external_id: candidate.key.digest,
    ...(detailsUrl && { details_url: detailsUrl }),
    ...(annotations.length > 0 && { annotations }),
  };
}

/** The title of a rollback onto a release: its check run's, and its commit status's description. Pure. */
export function rollbackTitle(r: RollbackNotice): string {
  return `Rolled back here${r.forced ? " (forced)" : ""}: ${r.tags.join(", ")}`;
}

function rollbackLines(r: RollbackNotice): string[] {
  const moved = r.tags.map((tag) =>
    r.from[tag] ? `${code(tag)} (was ${code(`${r.from[tag]?.slice(0, 19)}…`)})` : code(tag),
  );
  return [
    `## ⏪ ${escapeMarkdown(rollbackTitle(r))}`,
    "",
    `${escapeMarkdown(r.by)} moved ${moved.join(", ")} back onto this release in every region: ${escapeMarkdown(r.reason)}`,
    "",
  ];
}

function summaryOf(
  candidate: Candidate,
  head: Headline,
  details: DecisionDetails | undefined,
  now: Date | undefined,
): string[] {
  const summary = details?.kind === "verdict" ? details.summary : undefined;
  const lines = [`## ${ICONS[head.stage]} ${escapeMarkdown(head.title)}`, "", factsLine(candidate), ""];
  lines.push(...renderWatch(candidate, now), ...unscannedLines(summary));
  lines.push(...renderPlatformTable(candidate, summary), "");
  if (details) lines.push(...reasonLines(details));
  if (candidate.phase === "promoted") lines.push(...renderPromotion(candidate), "");
  return lines;
}

/** Platforms passed without a scan (an unsupported-image exception), as a warning nobody can miss. */
function unscannedLines(summary: VerdictSummary | undefined): string[] {
  const unscanned = summary?.warnings.items.filter((w) => w.kind === "unsupported-image-excepted") ?? [];
  if (unscanned.length === 0) return [];
  return [
    "> [!WARNING]",
    "> **Passed without a vulnerability scan.** ECR cannot scan these images; an exception of the policy lets them through:",
    ...unscanned.map((w) => `> - ${escapeMarkdown(w.text)}`),
    "",
  ];
}

function factsLine(candidate: Candidate): string {
  const { key, git, tags } = candidate;
  const facts = [
    `**Repository:** ${code(key.repository)} (${code(key.region)})`,
    `**Index:** ${code(key.digest)}`,
  ];
  if (git.revision) facts.push(`**Commit:** ${markdownLink(git.revision.slice(0, 12), commitUrl(git))}`);
  if (git.ref) facts.push(`**Ref:** ${code(git.ref)}`);
  facts.push(`**Build tag:** ${code(tags.build)}`);
  return facts.join(" · ");
}

function commitUrl(git: Candidate["git"]): string | undefined {
  if (!git.source || !git.revision) return undefined;
  return `${git.source.replace(/\.git$/, "").replace(/\/+$/, "")}/commit/${git.revision}`;
}

function reasonLines(details: DecisionDetails): string[] {
  switch (details.kind) {
    case "verdict": {
      const { reasons } = details.summary;
      if (reasons.items.length === 0) return [];
      const more = reasons.omitted > 0 ? [`- _…and ${reasons.omitted} more_`] : [];
      return ["**Why:**", "", ...reasons.items.map((r) => `- ${escapeMarkdown(r.text)}`), ...more, ""];
    }
    case "timeout": {
      const waiting = details.waiting.map(
        (w) => `- ${escapeMarkdown(w.platform)} ${code(w.digest)}: last scan status ${w.status ?? "none"}`,
      );
      return [
        `**Scan deadline ${details.deadline} passed; failing closed.** Still waiting for:`,
        "",
        ...waiting,
        "",
      ];
    }
    case "unreadable":
      return ["_The decision's details could not be read (stored by another version?)._", ""];
  }
}

function textOf(details: DecisionDetails | undefined): string[] {
  if (details?.kind === "verdict") return renderFindingTables(details.summary);
  return [];
}

function completedAt(candidate: Candidate): string | undefined {
  if (candidate.phase === "promoted") return candidate.promotion.at;
  return "decision" in candidate ? candidate.decision.at : undefined;
}
