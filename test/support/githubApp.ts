import { generateKeyPairSync } from "node:crypto";
import type { GitHubAppCredentials } from "../../src/report/github/index.ts";

/** A GitHub App identity for tests: a fresh RSA key pair, the private half in the credentials. */
export interface TestGitHubApp {
  readonly credentials: GitHubAppCredentials;
  readonly publicKey: string;
}

let cached: TestGitHubApp | undefined;

/** Generates (once per test file) an RSA-2048 key pair and App credentials using it. */
export function testGitHubApp(appId = 4242, installationId = 777): TestGitHubApp {
  if (cached?.credentials.appId === appId && cached.credentials.installationId === installationId)
    return cached;
  const { privateKey, publicKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  cached = { credentials: { kind: "app", appId, installationId, privateKey }, publicKey };
  return cached;
}
