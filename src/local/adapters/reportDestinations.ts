import { readFileSync } from "node:fs";
import { ValidationError } from "../../core/index.ts";
import { createSlackWebhook, type SlackPoster } from "../../notify/index.ts";
import {
  createGitHubReporter,
  type GitHubCredentials,
  type GitHubReporter,
  parseGitHubCredentials,
} from "../../report/github/index.ts";
import { githubHost } from "../../report/index.ts";
import { FileCheckRuns } from "./FileCheckRuns.ts";
import { FileSlackPoster } from "./FileSlackPoster.ts";

/** Where the report and notify handlers send things in a local run. */
export interface ReportDestinations {
  /** What the report handler gets as its `github` port. */
  readonly github: () => Promise<GitHubReporter | undefined>;
  /** `GitHub check runs (App)`, `GitHub commit statuses (token)`, or the files' folder. */
  readonly githubLabel: string;
  /** Set when check runs go to files instead of GitHub. */
  readonly files?: FileCheckRuns;
  /** What the notify handler gets as its `slack` port. */
  readonly slack: () => Promise<SlackPoster | undefined>;
  readonly slackLabel: string;
  /** Set when Slack messages are previewed instead of posted. */
  readonly preview?: FileSlackPoster;
  /** E.g. credentials found but not used, and why. */
  readonly notes: readonly string[];
}

/** Options for {@link reportDestinations}. */
export interface ReportDestinationsOptions {
  /** Read: GITHUB_APP_ID, GITHUB_APP_INSTALLATION_ID, GITHUB_APP_PRIVATE_KEY(_FILE), GITHUB_TOKEN, GITHUB_API_URL, SLACK_WEBHOOK_URL. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** `OWNER/REPO` given on the command line: real GitHub reports only with it. */
  readonly githubRepo?: string;
  /** Where check runs and Slack previews are written otherwise. */
  readonly reportsDir: string;
  /** Check-run files: start from the runs an earlier process kept there (a command over a finished run). */
  readonly resumeReports?: boolean;
}

/**
 * Chooses the report and notification destinations: a GitHub App (check runs) or a token (commit statuses,
 * as the report handler does with a token) when credentials are in the environment and `--github-repo` is
 * given, otherwise check runs written as markdown to the state folder; Slack through `SLACK_WEBHOOK_URL`,
 * otherwise Block Kit previews in the state folder. Invalid credentials throw ValidationError (never
 * echoing a secret).
 * @example const destinations = reportDestinations({ env: process.env, githubRepo, reportsDir });
 */
export function reportDestinations(options: ReportDestinationsOptions): ReportDestinations {
  const notes: string[] = [];
  const credentials = githubCredentials(options.env);
  const baseUrl = options.env.GITHUB_API_URL || "https://api.github.com";
  let github: Pick<ReportDestinations, "github" | "githubLabel" | "files">;
  if (credentials && options.githubRepo) {
    const reporter = createGitHubReporter(credentials, { baseUrl });
    github = {
      github: async () => reporter,
      githubLabel: `${credentials.kind === "app" ? "check runs" : "commit statuses"} on ${githubHost(baseUrl)}/${options.githubRepo}`,
    };
  } else {
    if (credentials)
      notes.push(
        "GitHub credentials found but no --github-repo OWNER/REPO: the check run is written to a file",
      );
    const files = new FileCheckRuns(options.reportsDir, { resume: options.resumeReports ?? false });
    github = { github: async () => files, githubLabel: "check run written as markdown", files };
  }
  const url = options.env.SLACK_WEBHOOK_URL;
  if (url) {
    const poster = createSlackWebhook(url);
    return { ...github, slack: async () => poster, slackLabel: "posted to Slack (SLACK_WEBHOOK_URL)", notes };
  }
  const preview = new FileSlackPoster(options.reportsDir);
  return {
    ...github,
    slack: async () => preview,
    slackLabel: "Slack preview (Block Kit JSON)",
    preview,
    notes,
  };
}

function githubCredentials(env: ReportDestinationsOptions["env"]): GitHubCredentials | undefined {
  const { GITHUB_APP_ID, GITHUB_APP_INSTALLATION_ID, GITHUB_TOKEN } = env;
  const keyFile = env.GITHUB_APP_PRIVATE_KEY_FILE;
  const privateKey = env.GITHUB_APP_PRIVATE_KEY || (keyFile ? readFileSync(keyFile, "utf8") : undefined);
  const field = "environment";
  const value =
    GITHUB_APP_ID || GITHUB_APP_INSTALLATION_ID || privateKey
      ? { appId: GITHUB_APP_ID, installationId: GITHUB_APP_INSTALLATION_ID, privateKey }
      : GITHUB_TOKEN
        ? { token: GITHUB_TOKEN }
        : undefined;
  if (value === undefined) return undefined;
  const parsed = parseGitHubCredentials(value, field);
  if (!parsed.ok)
    throw new ValidationError(
      "GitHub settings (GITHUB_APP_ID, GITHUB_APP_INSTALLATION_ID, GITHUB_APP_PRIVATE_KEY[_FILE] or GITHUB_TOKEN)",
      parsed.error,
    );
  return parsed.value;
}
