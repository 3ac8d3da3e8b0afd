import type { CredentialProvider } from "./Credentials.ts";

/** The environment variables {@link envCredentials} reads. */
export const CREDENTIAL_ENV = {
  username: "PORTCULLIS_REGISTRY_USERNAME",
  password: "PORTCULLIS_REGISTRY_PASSWORD",
  /** Optional: only this registry host gets the credentials (all registries otherwise). */
  registry: "PORTCULLIS_REGISTRY",
} as const;

/**
 * Credentials from PORTCULLIS_REGISTRY_USERNAME/PASSWORD, optionally limited to the host in
 * PORTCULLIS_REGISTRY.
 * @example envCredentials(process.env)
 */
export function envCredentials(env: Readonly<Record<string, string | undefined>>): CredentialProvider {
  const username = env[CREDENTIAL_ENV.username];
  const password = env[CREDENTIAL_ENV.password];
  const only = env[CREDENTIAL_ENV.registry];
  return {
    async credentialsFor(registry) {
      if (!username || password === undefined) return undefined;
      if (only && only !== registry) return undefined;
      return { username, password };
    },
  };
}
