import type { FindingSummary } from "../policy/VerdictSummary.ts";
import type { JsonValue } from "../release/JsonValue.ts";
import { readDecision } from "../report/readDecision.ts";
import { rollbackCommand } from "../report/rollbackCommand.ts";
import type { NotificationMessage } from "./notificationMessage.ts";
import { SLACK_LIMITS, type SlackBlock, type SlackMessage, type SlackText } from "./SlackMessage.ts";
import { clip, escapeSlack, slackCode, slackLink, slackUrl } from "./slackText.ts";

/** What a Slack message is rendered with, besides the notification. */
export interface SlackRenderOptions {
  /** Blocking findings listed at most. */
  readonly maxFindings?: number;
  /** Reasons listed at most. */
  readonly maxReasons?: number;
}

const DEFAULTS = { maxFindings: 5, maxReasons: 5 } as const;

/**
 * Renders a notification as a short Slack Block Kit message: a header saying what happened, the repository,
 * commit, ref and tags, why (reasons, top blocking findings with fix versions and links, the failed region or
 * the new finding), and a link to the commit's checks on GitHub when the source is known. Untrusted strings are
 * escaped; every block stays within Slack's limits. Pure.
 * @example await slack.post(renderSlackMessage(parseNotificationMessage(body).value));
 */
export function renderSlackMessage(
  message: NotificationMessage,
  options: SlackRenderOptions = {},
): SlackMessage {
  const o = { ...DEFAULTS, ...options };
  const { title, icon } = headline(message);
  const blocks: SlackBlock[] = [
    {
      type: "header",
      text: { type: "plain_text", text: clip(`${icon} ${title}`, SLACK_LIMITS.headerChars), emoji: true },
    },
    { type: "section", fields: facts(message) },
    ...details(message, o),
  ];
  if (message.attestation)
    blocks.push({ type: "context", elements: [mrkdwn(attestationLine(message.attestation))] });
  const link = checksLink(message);
  if (link) blocks.push({ type: "context", elements: [mrkdwn(link)] });
  return {
    text: clip(`${title}${fallbackDetail(message)}`, SLACK_LIMITS.textChars),
    blocks: blocks.slice(0, SLACK_LIMITS.blocks),
  };
}

/** What was attested, and the command that verifies it (the command is ours; clipped all the same). */
function attestationLine(attestation: { result: string; verify: string }): string {
  const verify = clip(attestation.verify, SLACK_LIMITS.fieldChars);
  return `🔏 Signed verification summary (${attestation.result}) attached to the index · verify: ${slackCode(verify)}`;
}

function headline(m: NotificationMessage): { title: string; icon: string } {
  const repo = m.candidate.repository;
  switch (m.kind) {
    case "release-rejected":
      return m.outcome === "timed-out"
        ? { icon: "⌛", title: `Rejected (scans timed out): ${repo}` }
        : { icon: "❌", title: `Rejected: ${repo}` };
    case "image-promoted":
      return { icon: "🚀", title: `Promoted: ${repo} as ${m.tags.join(", ") || "no tags"}` };
    case "replication-failed":
      return { icon: "⚠️", title: `Replication failed: ${repo} to ${m.region}` };
    case "release-rolled-back":
      return {
        icon: "⏪",
        title: `Rolled back${m.forced ? " (forced)" : ""}: ${repo} ${m.tags.join(", ")} to ${m.candidate.digest.slice(7, 19)}`,
      };
    case "finding-on-promoted-image":
      if (m.action === "demote" && m.demoteAt !== undefined && m.demotion === undefined)
        return {
          icon: "⏳",
          title: `Demotion in ${days(m.daysLeft ?? 0)}: ${repo} (${m.finding.severity} ${m.finding.id})`,
        };
      return m.action === "demote"
        ? { icon: "⬇️", title: `Demoted: ${repo} (${m.finding.severity} ${m.finding.id})` }
        : { icon: "🔔", title: `New ${m.finding.severity} finding on promoted ${repo}: ${m.finding.id}` };
    case "image-unmonitored":
      return { icon: "👁️", title: `No longer monitored: ${repo} (Inspector's rescan window ended)` };
  }
}

function facts(m: NotificationMessage): SlackText[] {
  const { candidate, git } = m;
  const fields = [
    mrkdwn(`*Repository*\n${slackCode(candidate.repository)} (${escapeSlack(candidate.region)})`),
    mrkdwn(`*Index*\n${slackCode(`${candidate.digest.slice(0, 19)}…`)}`),
  ];
  if (git.commit) fields.push(mrkdwn(`*Commit*\n${slackLink(git.commit.slice(0, 12), commitUrl(git))}`));
  if (git.ref) fields.push(mrkdwn(`*Ref*\n${slackCode(clip(git.ref, 200))}`));
  if (m.tags.length > 0) {
    const label = m.kind === "release-rejected" ? "Tags (not moved)" : "Tags";
    fields.push(mrkdwn(`*${label}*\n${clip(m.tags.map(slackCode).join(" "), 1000)}`));
  }
  return fields.slice(0, SLACK_LIMITS.fields);
}

function details(m: NotificationMessage, o: Required<SlackRenderOptions>): SlackBlock[] {
  switch (m.kind) {
    case "release-rejected":
      return [...reasonBlock(m.reasons, o.maxReasons), ...findingsBlock(m.decision, o.maxFindings)];
    case "image-promoted": {
      const command = rollbackCommand(m.candidate.repository, m.tags);
      const undo = command ? [section(`*Roll back*\n${slackCode(command)}`)] : [];
      return [...reasonBlock(m.reasons, o.maxReasons), ...undo];
    }
    case "release-rolled-back": {
      const from = Object.entries(m.from).map(
        ([tag, digest]) => `${slackCode(tag)} was ${slackCode(`${digest.slice(0, 19)}…`)}`,
      );
      const lines = [...(m.by ? [`By ${escapeSlack(m.by)}`] : []), ...from];
      const finish = rollbackCommand(m.candidate.repository, m.tags, m.candidate.digest);
      if (m.failedRegions.length > 0)
        lines.push(
          `*Not confirmed in* ${m.failedRegions.map(slackCode).join(" ")}; finish it with ${slackCode(finish ?? "the same command, --to the digest")}`,
        );
      return [section(lines.join("\n")), ...reasonBlock(m.reasons, o.maxReasons)];
    }
    case "replication-failed": {
      const attempts = m.attempts === 1 ? "1 attempt" : `${m.attempts} attempts`;
      return [
        section(
          `*Region* ${slackCode(m.region)} failed after ${attempts}:\n\`\`\`${escapeSlack(clip(m.error || "unknown error", 1500)).replace(/`/g, "'")}\`\`\``,
        ),
      ];
    }
    case "finding-on-promoted-image": {
      const f = m.finding;
      const lines = [
        `*${escapeSlack(f.severity)}* ${slackLink(f.id, f.sourceUrl)}${f.title ? `: ${escapeSlack(clip(f.title, 300))}` : ""}`,
        ...(f.platform ? [`Image ${slackCode(`${f.platform.slice(0, 19)}…`)}`] : []),
      ];
      if (m.action === "demote" && m.demoteAt !== undefined && m.demotion === undefined)
        lines.push(
          `*Demotion on ${escapeSlack(m.demoteAt)}* (${days(m.daysLeft ?? 0)} left) unless the finding is fixed or allowlisted by then`,
        );
      else if (m.action === "demote") lines.push(demotionLine(m.demotion ?? []));
      return [section(lines.join("\n")), ...reasonBlock(m.reasons, o.maxReasons)];
    }
    case "image-unmonitored":
      return [
        section(
          `*SCAN_ELIGIBILITY_EXPIRED* since ${escapeSlack(m.since)} on ${m.platforms.map((p) => slackCode(`${p.slice(0, 19)}…`)).join(", ")}:\nInspector no longer rescans this image and closed its findings — closed, not fixed. New CVEs will not be reported; push the image again (or rebuild) to have it scanned.`,
        ),
      ];
  }
}

function days(n: number): string {
  return n === 1 ? "1 day" : `${n} days`;
}

function reasonBlock(reasons: readonly string[], max: number): SlackBlock[] {
  if (reasons.length === 0) return [];
  const shown = reasons.slice(0, max).map((r) => `• ${escapeSlack(clip(r, 300))}`);
  if (reasons.length > max) shown.push(`_…and ${reasons.length - max} more_`);
  return [section(`*Why*\n${shown.join("\n")}`)];
}

function findingsBlock(decision: unknown, max: number): SlackBlock[] {
  const details =
    decision === undefined
      ? undefined
      : readDecision({ outcome: "failed", at: "", reasons: decision as JsonValue });
  if (details?.kind !== "verdict") return [];
  const { items, omitted } = details.summary.blocking;
  if (items.length === 0) return [];
  const lines = items.slice(0, max).map(findingLine);
  const more = items.length - Math.min(items.length, max) + omitted;
  if (more > 0) lines.push(`_…and ${more} more blocking ${more === 1 ? "finding" : "findings"}_`);
  return [section(`*Top blocking findings*\n${lines.join("\n")}`)];
}

function findingLine(f: FindingSummary): string {
  const pkg = f.package
    ? ` in ${slackCode(clip([f.package, f.installed].filter(Boolean).join(" "), 200))}`
    : "";
  const fix = f.fixedIn
    ? ` → fix ${slackCode(clip(f.fixedIn, 100))}`
    : f.fixability === "unfixable"
      ? " (no fix)"
      : "";
  return `• *${f.severity}* ${slackLink(f.id, f.link)}${pkg}${fix}`;
}

function demotionLine(tags: readonly { tag: string; digest: string | null }[]): string {
  if (tags.length === 0) return "Promotion tags: none moved";
  const moved = tags.map((t) =>
    t.digest
      ? `${slackCode(t.tag)} → ${slackCode(`${t.digest.slice(0, 19)}…`)}`
      : `${slackCode(t.tag)} (left as it was)`,
  );
  return `Tags moved back: ${moved.join(", ")}`;
}

function fallbackDetail(m: NotificationMessage): string {
  const commit = m.git.commit ? ` (commit ${m.git.commit.slice(0, 12)})` : "";
  if (m.kind === "release-rejected" && m.reasons[0]) return `${commit}: ${m.reasons[0]}`;
  if (m.kind === "replication-failed") return `${commit}: ${m.error}`;
  return commit;
}

/** The commit's checks page on GitHub (the check run is there), when the source is an http(s) repository URL. */
function checksLink(m: NotificationMessage): string | undefined {
  const url = commitUrl(m.git);
  return url ? slackLink("View the check run on GitHub", `${url}/checks`) : undefined;
}

function commitUrl(git: NotificationMessage["git"]): string | undefined {
  if (!git.source || !git.commit || slackUrl(git.source) === undefined) return undefined;
  return `${git.source.replace(/\.git$/, "").replace(/\/+$/, "")}/commit/${git.commit}`;
}

function section(text: string): SlackBlock {
  return { type: "section", text: mrkdwn(clip(text, SLACK_LIMITS.sectionChars)) };
}

function mrkdwn(text: string): SlackText {
  return { type: "mrkdwn", text: clip(text, SLACK_LIMITS.fieldChars) };
}
