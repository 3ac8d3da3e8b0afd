import { createHash } from "node:crypto";

/**
 * A client provider over a secret: loads the secret on every call (the loader caches, e.g. Powertools
 * `getSecret` with `maxAge`) and reuses the client made from it while the secret stays the same, so a client's
 * own caches survive across invocations and a rotated secret gets a new client. `undefined` from the loader
 * means "not configured". The secret is compared by SHA-256 (of `text(secret)`) and never kept in the clear here.
 * @example const slack = clientPerSecret(loadUrl, (url) => createSlackWebhook(url), (url) => url);
 */
export function clientPerSecret<S, C>(
  load: () => Promise<S | undefined>,
  make: (secret: S) => C,
  text: (secret: S) => string,
): () => Promise<C | undefined> {
  let cached: { fingerprint: string; client: C } | undefined;
  return async function currentClient() {
    const secret = await load();
    if (secret === undefined) return undefined;
    const fingerprint = createHash("sha256").update(text(secret)).digest("hex");
    if (cached?.fingerprint !== fingerprint) cached = { fingerprint, client: make(secret) };
    return cached.client;
  };
}
