import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { ValidationError } from "../../core/ValidationError.ts";
import { DEFAULT_REGISTRY } from "../name/referenceHost.ts";
import type { CredentialProvider, Credentials } from "./Credentials.ts";

interface AuthEntry {
  readonly auth?: string;
  readonly username?: string;
  readonly password?: string;
}

/** Docker Hub's historical key in `auths`. */
const DOCKER_HUB_KEY = "https://index.docker.io/v1/";

/** Where Docker keeps credentials: $DOCKER_CONFIG/config.json or ~/.docker/config.json. */
export function dockerConfigPath(env: Readonly<Record<string, string | undefined>>): string {
  return join(env.DOCKER_CONFIG ?? join(homedir(), ".docker"), "config.json");
}

/**
 * Credentials from the `auths` section of Docker's config.json (`auth` base64 or username/password).
 * Credential helpers (`credsStore`, `credHelpers`) are not run. A missing file means no credentials.
 * @example dockerConfigCredentials(dockerConfigPath(process.env))
 */
export function dockerConfigCredentials(path: string): CredentialProvider {
  let auths: Promise<Record<string, AuthEntry>> | undefined;
  return {
    async credentialsFor(registry) {
      auths ??= readAuths(path);
      const all = await auths;
      const keys =
        registry === DEFAULT_REGISTRY
          ? [DOCKER_HUB_KEY, registry]
          : [registry, `https://${registry}`, `http://${registry}`];
      for (const key of keys) {
        const found = all[key] ? decode(all[key]) : undefined;
        if (found) return found;
      }
      return undefined;
    },
  };
}

async function readAuths(path: string): Promise<Record<string, AuthEntry>> {
  try {
    const config = JSON.parse(await readFile(path, "utf8")) as { auths?: Record<string, AuthEntry> };
    return config.auths ?? {};
  } catch (error) {
    if ((error as { code?: string }).code === "ENOENT") return {};
    throw new ValidationError("Docker config", [
      { field: path, value: "(file)", message: (error as Error).message },
    ]);
  }
}

function decode(entry: AuthEntry): Credentials | undefined {
  if (entry.username && entry.password !== undefined)
    return { username: entry.username, password: entry.password };
  if (!entry.auth) return undefined;
  const text = Buffer.from(entry.auth, "base64").toString("utf8");
  const colon = text.indexOf(":");
  return colon > 0 ? { username: text.slice(0, colon), password: text.slice(colon + 1) } : undefined;
}
