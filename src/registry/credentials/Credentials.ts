/** A username and password (or token) for one registry; never printed. */
export interface Credentials {
  readonly username: string;
  readonly password: string;
}

/**
 * Supplies credentials per registry host. The OCI client only knows this interface; ECR, the
 * environment and Docker's config file are providers beside it.
 * @example const provider: CredentialProvider = { credentialsFor: async () => undefined } // anonymous
 */
export interface CredentialProvider {
  /** The credentials for `registry` (`host[:port]`), or undefined to go anonymous. */
  credentialsFor(registry: string): Promise<Credentials | undefined>;
}

/** No credentials for anyone: anonymous pulls and pushes. */
export const anonymous: CredentialProvider = { credentialsFor: async () => undefined };

/**
 * Fixed credentials per registry host.
 * @example staticCredentials({ "127.0.0.1:5000": { username: "ci", password: "s3cret" } })
 */
export function staticCredentials(byRegistry: Readonly<Record<string, Credentials>>): CredentialProvider {
  return { credentialsFor: async (registry) => byRegistry[registry] };
}

/** Asks each provider in turn; the first that knows the registry wins. */
export function chainCredentials(...providers: readonly CredentialProvider[]): CredentialProvider {
  return {
    async credentialsFor(registry) {
      for (const provider of providers) {
        const found = await provider.credentialsFor(registry);
        if (found) return found;
      }
      return undefined;
    },
  };
}

/** The `Authorization: Basic …` value for credentials. */
export function basicAuthorization(credentials: Credentials): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString("base64")}`;
}
