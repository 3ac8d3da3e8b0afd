import { SecretsProvider } from "@aws-lambda-powertools/parameters/secrets";
import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SecretError } from "./errors.ts";

/** Reads secrets by name; values are cached and never logged or put into error messages. */
export interface SecretReader {
  /** The secret's string value. */
  text(name: string): Promise<string>;
  /** The secret's string value parsed as a JSON object (e.g. a GitHub App's appId, installationId, privateKey). */
  json(name: string): Promise<Record<string, unknown>>;
}

/** Options for {@link secretsManagerSecrets}. */
export interface SecretsManagerSecretsOptions {
  /** Traced client of the function's region; by default Powertools creates one. */
  readonly client?: SecretsManagerClient;
  /** How long a value is reused before Secrets Manager is asked again (rotation shows up within it). */
  readonly maxAgeSeconds?: number;
}

/** Defaults of {@link SecretsManagerSecretsOptions}: values reused for 5 minutes. */
export const secretsManagerSecretsDefaults = { maxAgeSeconds: 300 } as const;

/**
 * {@link SecretReader} on Secrets Manager through Powertools Parameters (GetSecretValue, cached `maxAgeSeconds`
 * per container). Failures name the secret and the reason, never the value: a JSON secret that does not parse
 * says so without quoting the text (Node's JSON errors would).
 * @example const app = await secretsManagerSecrets().json("portcullis/github-app");
 */
export function secretsManagerSecrets(options: SecretsManagerSecretsOptions = {}): SecretReader {
  const provider = new SecretsProvider(options.client ? { awsSdkV3Client: options.client } : {});
  const maxAge = options.maxAgeSeconds ?? secretsManagerSecretsDefaults.maxAgeSeconds;
  async function text(name: string): Promise<string> {
    let value: unknown;
    try {
      value = await provider.get(name, { maxAge });
    } catch (error) {
      throw new SecretError(name, `could not be read (${describe(error)})`, { cause: error });
    }
    if (typeof value !== "string" || value.length === 0)
      throw new SecretError(name, "has no string value (store it as SecretString)");
    return value;
  }
  return {
    text,
    async json(name) {
      const value = await text(name);
      let parsed: unknown;
      try {
        parsed = JSON.parse(value);
      } catch {
        throw new SecretError(name, "is not valid JSON");
      }
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
        throw new SecretError(name, "must be a JSON object");
      return parsed as Record<string, unknown>;
    },
  };
}

/** The error's name and AWS error code: enough to act on, nothing from the secret. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return "unknown error";
  const cause = error.cause instanceof Error ? error.cause : error;
  return cause.name === error.name ? error.name : `${error.name}: ${cause.name}`;
}
