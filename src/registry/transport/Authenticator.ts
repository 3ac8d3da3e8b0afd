import type { IncomingMessage } from "node:http";
import { basicAuthorization, type CredentialProvider, type Credentials } from "../credentials/Credentials.ts";
import { RegistryError } from "../errors.ts";
import { checkResponse } from "./checkResponse.ts";
import { type Challenge, parseChallenge } from "./parseChallenge.ts";
import { readBody } from "./readBody.ts";

/** Sends the token request (GET realm?service&scope) with an optional Authorization header. */
export type TokenFetcher = (url: URL, authorization: string | undefined) => Promise<IncomingMessage>;

interface CachedToken {
  readonly header: string;
  readonly expiresAt: number;
}

/** Tokens live at least this long when the server does not say (token spec: 60 s). */
const DEFAULT_TOKEN_SECONDS = 60;
/** Renew a token this long before it expires. */
const EXPIRY_MARGIN_MS = 10_000;

/**
 * Answers one registry's challenges: learns the scheme from the first 401, then authorizes every
 * request up front (Basic, or a Bearer token per scope from the realm, cached until expiry).
 * https://distribution.github.io/distribution/spec/auth/token/
 */
export class Authenticator {
  #challenge: Challenge | undefined;
  readonly #tokens = new Map<string, Promise<CachedToken>>();

  constructor(
    private readonly registry: string,
    private readonly credentials: CredentialProvider,
    private readonly fetchToken: TokenFetcher,
    private readonly now: () => number = Date.now,
  ) {}

  /** The Authorization value for a request that needs `scope` (`repository:app:pull,push`…). */
  async authorization(scope: readonly string[]): Promise<string | undefined> {
    const challenge = this.#challenge;
    if (!challenge) return undefined;
    if (challenge.scheme === "basic") return this.#basic();
    const key = scopeKey(scope);
    let token = this.#tokens.get(key);
    if (!token) {
      token = this.#requestToken(challenge, key);
      this.#tokens.set(key, token);
      token.catch(() => this.#tokens.delete(key));
    }
    const cached = await token;
    if (cached.expiresAt > this.now()) return cached.header;
    this.#tokens.delete(key);
    return this.authorization(scope);
  }

  /**
   * Learns from a 401's WWW-Authenticate; true when retrying with fresh authorization may succeed.
   * `sent` is the Authorization the refused request carried: only that token is dropped, so many
   * requests refused at once share one new token.
   */
  async challengeReceived(
    header: string | undefined,
    scope: readonly string[],
    sent?: string,
  ): Promise<boolean> {
    const challenge = parseChallenge(header);
    if (!challenge) return false;
    this.#challenge = challenge;
    if (challenge.scheme === "basic") return sent === undefined && (await this.#basic()) !== undefined;
    const key = scopeKey(scope);
    const cached = this.#tokens.get(key);
    if (sent !== undefined && cached && (await cached.catch(() => undefined))?.header === sent)
      this.#tokens.delete(key);
    return true;
  }

  async #basic(): Promise<string | undefined> {
    const credentials = await this.credentials.credentialsFor(this.registry);
    return credentials && basicAuthorization(credentials);
  }

  async #requestToken(challenge: Challenge, key: string): Promise<CachedToken> {
    const url = tokenUrl(challenge, key);
    const credentials: Credentials | undefined = await this.credentials.credentialsFor(this.registry);
    const res = await checkResponse(
      await this.fetchToken(url, credentials && basicAuthorization(credentials)),
      {
        method: "GET",
        url,
        expect: [200],
      },
    );
    const body = JSON.parse((await readBody(res, 1024 * 1024)).toString("utf8")) as TokenBody;
    const token = body.token ?? body.access_token;
    if (!token)
      throw new RegistryError({ message: `token server for ${this.registry} sent no token`, status: 200 });
    const seconds = Math.max(body.expires_in ?? DEFAULT_TOKEN_SECONDS, DEFAULT_TOKEN_SECONDS);
    return { header: `Bearer ${token}`, expiresAt: this.now() + seconds * 1000 - EXPIRY_MARGIN_MS };
  }
}

interface TokenBody {
  readonly token?: string;
  readonly access_token?: string;
  readonly expires_in?: number;
}

/** Tokens are cached per set of scopes we ask for (a challenge's own `scope` names only the refused request). */
function scopeKey(scope: readonly string[]): string {
  return [...new Set(scope)].sort().join(" ");
}

function tokenUrl(challenge: Challenge, key: string): URL {
  const url = new URL(challenge.params.realm ?? "");
  if (challenge.params.service) url.searchParams.set("service", challenge.params.service);
  for (const scope of key.split(" ").filter(Boolean)) url.searchParams.append("scope", scope);
  return url;
}
