import { SecretError } from "../aws/errors.ts";
import type { SecretReader } from "../aws/SecretsManagerSecrets.ts";
import { formatIssues } from "../core/formatIssue.ts";
import { type GitHubCredentials, parseGitHubCredentials } from "../report/github/GitHubCredentials.ts";
import { SettingsError } from "./errors.ts";

/** Which secret holds the GitHub credentials (the stack sets one of the two, as the configuration's `report` says). */
export interface GitHubSecretSettings {
  /** A GitHub App: `{ appId, installationId, privateKey }` (check runs). */
  readonly githubAppSecret?: string;
  /** A token (commit statuses): the token itself, or `{ token }`. */
  readonly statusTokenSecret?: string;
}

/**
 * The report handler's credential loader: reads the configured secret on each call (cached by the reader) and
 * validates it; `undefined` when neither secret is configured (the handler then only renders). A malformed
 * secret is a {@link SecretError} listing what is wrong, with values redacted. Both secrets set is refused at
 * init, naming both variables.
 * @example gitHubReporterProvider(githubCredentialsLoader(settings, secretsManagerSecrets()), { baseUrl })
 */
export function githubCredentialsLoader(
  settings: GitHubSecretSettings,
  secrets: SecretReader,
): () => Promise<GitHubCredentials | undefined> {
  const { githubAppSecret: app, statusTokenSecret: token } = settings;
  if (app !== undefined && token !== undefined)
    throw new SettingsError(
      ["PORTCULLIS_GITHUB_APP_SECRET", "PORTCULLIS_STATUS_TOKEN_SECRET"].map((field) => ({
        field,
        value: field.endsWith("APP_SECRET") ? app : token,
        message: "is set, and so is the other: report through a GitHub App or a token, not both",
      })),
    );
  const name = app ?? token;
  if (name === undefined) return async () => undefined;
  return async () => {
    const value = app !== undefined ? await secrets.json(name) : await tokenValue(secrets, name);
    const parsed = parseGitHubCredentials(value, "value");
    if (!parsed.ok)
      throw new SecretError(name, `is not valid GitHub credentials:\n${formatIssues(parsed.error)}`);
    if (app !== undefined && parsed.value.kind !== "app")
      throw new SecretError(
        name,
        "holds a token, but PORTCULLIS_GITHUB_APP_SECRET names a GitHub App's secret",
      );
    return parsed.value;
  };
}

/** A token secret is the token itself or `{ "token": … }`. */
async function tokenValue(secrets: SecretReader, name: string): Promise<unknown> {
  const text = (await secrets.text(name)).trim();
  return text.startsWith("{") ? secrets.json(name) : { token: text };
}
