import type { BuildFacts } from "./buildFacts.ts";
import type { CheckRunRender } from "./CheckRunRender.ts";
import { checkRunName } from "./checkRunName.ts";
import { code, escapeMarkdown, markdownLink, safeUrl } from "./markdown.ts";

/** The external id of the check run a build opens before its index digest is known. */
export function buildExternalId(commit: string): string {
  return `build:${commit}`;
}

/** True for the external id of a build's run (one a candidate of the same commit takes over). */
export function isBuildExternalId(externalId: string | null | undefined): boolean {
  return typeof externalId === "string" && externalId.startsWith("build:");
}

const FAILED = new Set(["FAILED", "FAULT", "TIMED_OUT", "STOPPED"]);

/**
 * The check run for a build that has no candidate yet: in progress while CodeBuild builds, completed as a
 * failure (timed out, cancelled) when the build does not finish. The candidate's run later takes it over
 * (same name and commit). Pure.
 * @example renderBuildCheckRun(facts) // => { status: "in_progress", title: "Building payments/api", … }
 */
export function renderBuildCheckRun(
  build: BuildFacts,
  name = checkRunName(build.repository),
): CheckRunRender {
  const logs = markdownLink("build logs", build.logsUrl);
  const facts = [
    `**Repository:** ${code(build.repository)} (${code(build.region)})`,
    `**Commit:** ${code(build.commit.slice(0, 12))}`,
    ...(build.ref ? [`**Ref:** ${code(build.ref)}`] : []),
    `**CodeBuild project:** ${escapeMarkdown(build.project)}`,
  ].join(" · ");
  const detailsUrl = safeUrl(build.logsUrl);
  const base = {
    name,
    external_id: buildExternalId(build.commit),
    text: "",
    ...(detailsUrl && { details_url: detailsUrl }),
  };
  if (FAILED.has(build.status)) {
    const title = `Build ${build.status.toLowerCase().replace("_", " ")}${build.platform ? ` (${build.platform})` : ""}`;
    return {
      ...base,
      status: "completed",
      conclusion:
        build.status === "TIMED_OUT" ? "timed_out" : build.status === "STOPPED" ? "cancelled" : "failure",
      completed_at: build.time,
      title,
      summary: [
        `## ❌ ${escapeMarkdown(title)}`,
        "",
        facts,
        "",
        `Nothing was pushed for release; see the ${logs}.`,
      ].join("\n"),
    };
  }
  const title = `Building ${build.repository}`;
  return {
    ...base,
    status: "in_progress",
    title,
    summary: [
      `## 🏗️ ${escapeMarkdown(title)}`,
      "",
      facts,
      "",
      `The image is scanned and gated once pushed; see the ${logs}.`,
    ].join("\n"),
  };
}
