import type { NotifyOutcome } from "../../handlers/notify/createNotifyHandler.ts";
import type { ReportResult } from "../../handlers/report/createReportHandler.ts";
import { checkRunMarkdown } from "../adapters/FileCheckRuns.ts";
import { previewSlackMessage } from "../adapters/FileSlackPoster.ts";
import type { ReportDestinations } from "../adapters/reportDestinations.ts";
import type { Delivered } from "./RunSummary.ts";

/**
 * Where the report handler's check runs went: the markdown files (with their text, to print), or what GitHub
 * answered (the last check run id or commit status state).
 * @example reportsDelivered(destinations, reportResults)
 */
export function reportsDelivered(
  destinations: ReportDestinations,
  results: readonly ReportResult[],
): Delivered[] {
  if (destinations.files)
    return destinations.files.runs.map((run) => ({
      what: `check run "${run.ref.name}" ${run.render.conclusion ?? run.render.status}`,
      where: run.file,
      preview: checkRunMarkdown(run.render, run.target),
    }));
  const last = results.filter((r) => r.kind === "check-run" || r.kind === "commit-status").at(-1);
  if (!last)
    return [{ what: destinations.githubLabel, where: "nothing was reported (see the pipeline log)" }];
  return [
    {
      what: destinations.githubLabel,
      where:
        last.kind === "check-run"
          ? `check run id ${last.id} (${last.status})`
          : `commit status ${String(last.kind === "commit-status" && last.state)}`,
    },
  ];
}

/**
 * Where the notify handler's Slack messages went: the Block Kit files (with a text preview), or the ids
 * posted to the webhook.
 * @example notificationsDelivered(destinations, notifyOutcomes)
 */
export function notificationsDelivered(
  destinations: ReportDestinations,
  outcomes: readonly NotifyOutcome[],
): Delivered[] {
  if (destinations.preview)
    return destinations.preview.messages.map((sent) => ({
      what: sent.message.text,
      where: sent.file,
      preview: previewSlackMessage(sent.message),
    }));
  return outcomes
    .filter((outcome) => outcome.kind === "sent")
    .map((outcome) => ({ what: outcome.id, where: destinations.slackLabel }));
}
