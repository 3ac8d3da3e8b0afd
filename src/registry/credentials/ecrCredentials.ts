import { ECRClient, GetAuthorizationTokenCommand } from "@aws-sdk/client-ecr";
import { RegistryError } from "../errors.ts";
import { parseEcrHost } from "../name/parseEcrHost.ts";
import type { CredentialProvider, Credentials } from "./Credentials.ts";

/** Options for {@link ecrCredentials}. */
export interface EcrCredentialOptions {
  /** The ECR client for a region (injected in tests; one per region is created otherwise). */
  readonly clientFor: (region: string) => Pick<ECRClient, "send">;
  /** Renew a token this long before ECR says it expires. */
  readonly refreshMarginMs: number;
  readonly now: () => number;
}

/** Defaults: a cached `new ECRClient({ region })` per region, renewal 5 minutes before expiry. */
export const ecrCredentialDefaults: EcrCredentialOptions = {
  clientFor: cachedClients(),
  refreshMarginMs: 5 * 60_000,
  now: Date.now,
};

/**
 * Credentials for ECR registries from GetAuthorizationToken (user `AWS`), cached per registry until
 * shortly before they expire; other hosts get undefined, so chain it with other providers.
 * https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_GetAuthorizationToken.html
 * @example chainCredentials(ecrCredentials(), envCredentials(process.env))
 */
export function ecrCredentials(options: Partial<EcrCredentialOptions> = {}): CredentialProvider {
  const o = { ...ecrCredentialDefaults, ...options };
  const cache = new Map<string, Slot>();
  function current(registry: string, account: string, region: string): Promise<Token> {
    const slot = cache.get(registry);
    if (slot && (slot.renewAt === undefined || slot.renewAt > o.now())) return slot.token;
    const fresh: Slot = { token: fetchToken(o, account, region), renewAt: undefined };
    cache.set(registry, fresh);
    fresh.token.then(
      (token) => {
        fresh.renewAt = token.renewAt;
      },
      () => cache.get(registry) === fresh && cache.delete(registry),
    );
    return fresh.token;
  }
  return {
    async credentialsFor(registry) {
      const host = parseEcrHost(registry);
      return host && (await current(registry, host.account, host.region)).credentials;
    },
  };
}

interface Token {
  readonly credentials: Credentials;
  readonly renewAt: number;
}

/** A token being fetched (renewAt unknown yet) or fetched; concurrent callers share it. */
interface Slot {
  readonly token: Promise<Token>;
  renewAt: number | undefined;
}

async function fetchToken(o: EcrCredentialOptions, account: string, region: string): Promise<Token> {
  const out = await o.clientFor(region).send(new GetAuthorizationTokenCommand({ registryIds: [account] }));
  const data = out.authorizationData?.[0];
  const decoded = Buffer.from(data?.authorizationToken ?? "", "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) {
    throw new RegistryError({
      message: `ECR returned no usable authorization token for account ${account} in ${region}`,
    });
  }
  const expiresAt = data?.expiresAt?.getTime() ?? o.now() + 60 * 60_000;
  return {
    credentials: { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) },
    renewAt: expiresAt - o.refreshMarginMs,
  };
}

function cachedClients(): (region: string) => ECRClient {
  const clients = new Map<string, ECRClient>();
  return (region) => {
    const client = clients.get(region) ?? new ECRClient({ region });
    clients.set(region, client);
    return client;
  };
}
