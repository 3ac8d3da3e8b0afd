import { parseEcrHost } from "../name/parseEcrHost.ts";
import { type CredentialProvider, chainCredentials } from "./Credentials.ts";
import { dockerConfigCredentials, dockerConfigPath } from "./dockerConfigCredentials.ts";
import { envCredentials } from "./envCredentials.ts";

/**
 * What the CLI and the local pipeline use: PORTCULLIS_REGISTRY_USERNAME/PASSWORD, then Docker's
 * config.json `auths`, then (for ECR hosts only, loading the AWS SDK on first use) GetAuthorizationToken.
 * @example createRegistryClient(host, { credentials: defaultCredentials(process.env) })
 */
export function defaultCredentials(env: Readonly<Record<string, string | undefined>>): CredentialProvider {
  return chainCredentials(envCredentials(env), dockerConfigCredentials(dockerConfigPath(env)), lazyEcr());
}

function lazyEcr(): CredentialProvider {
  let ecr: Promise<CredentialProvider> | undefined;
  return {
    async credentialsFor(registry) {
      if (!parseEcrHost(registry)) return undefined;
      ecr ??= import("./ecrCredentials.ts").then((module) => module.ecrCredentials());
      return (await ecr).credentialsFor(registry);
    },
  };
}
