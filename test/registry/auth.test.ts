import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  copy,
  createRegistryClient,
  parseReference,
  type Reference,
  RegistryError,
  staticCredentials,
} from "../../src/registry/index.ts";
import { type FaultProxy, startFaultProxy } from "../support/faultProxy.ts";
import { startRegistry, type TestRegistry } from "../support/registry.ts";
import { skopeoRaw } from "../support/skopeo.ts";
import { pushTestImage, randomIndex } from "../support/testImages.ts";

const PASSWORD = "s3cret-Passw0rd";
let a: TestRegistry;
let b: TestRegistry;
let basicProxy: FaultProxy;
let bearerProxy: FaultProxy;

beforeAll(async () => {
  [a, b] = await Promise.all([startRegistry(), startRegistry()]);
  basicProxy = await startFaultProxy(a.host, { auth: { kind: "basic", username: "ci", password: PASSWORD } });
  bearerProxy = await startFaultProxy(b.host, {
    auth: { kind: "bearer", username: "ci", password: PASSWORD },
  });
});
afterAll(async () => {
  await Promise.all([basicProxy?.stop(), bearerProxy?.stop()]);
  await Promise.all([a?.stop(), b?.stop()]);
});

function ref(text: string): Reference {
  const parsed = parseReference(text);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
  return parsed.value;
}

const credentials = (host: string, password = PASSWORD) =>
  staticCredentials({ [host]: { username: "ci", password } });

describe("authentication", () => {
  it("copies from a Basic-auth registry to a Bearer-token registry", async () => {
    const source = createRegistryClient(basicProxy.host, { credentials: credentials(basicProxy.host) });
    const target = createRegistryClient(bearerProxy.host, { credentials: credentials(bearerProxy.host) });
    const index = await randomIndex();
    await pushTestImage(source, "auth/app", index, "v1");
    const result = await copy({
      source,
      target,
      from: ref(`${basicProxy.host}/auth/app:v1`),
      to: ref(`${bearerProxy.host}/auth/app:v1`),
    });
    source.close();
    target.close();
    expect(result.digest).toBe(index.root.digest);
    expect((await skopeoRaw(`${b.host}/auth/app:v1`)).equals(index.root.bytes)).toBe(true);
    const tokenRequests = bearerProxy.seen.filter((r) => r.path.startsWith("/token"));
    expect(tokenRequests).toHaveLength(2);
    expect(tokenRequests.map((r) => decodeURIComponent(r.path))).toEqual([
      "/token?service=portcullis-test&scope=repository:auth/app:pull",
      "/token?service=portcullis-test&scope=repository:auth/app:pull,push",
    ]);
    expect(bearerProxy.seen.filter((r) => r.status === 401).map((r) => r.path)).toEqual(["/v2/"]);
  });

  it("fails with UNAUTHORIZED and never shows the password when Basic credentials are wrong", async () => {
    const client = createRegistryClient(basicProxy.host, {
      credentials: credentials(basicProxy.host, "wrong-Passw0rd"),
    });
    const error = await client.getManifest("auth/app", "v1").catch((e: unknown) => e);
    client.close();
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as RegistryError).status).toBe(401);
    expect((error as RegistryError).codes).toContain("UNAUTHORIZED");
    expect(JSON.stringify({ ...(error as object), message: (error as Error).message })).not.toMatch(
      /wrong-Passw0rd|d3JvbmctUGFzc3cwcmQ/,
    );
  });

  it("fails with UNAUTHORIZED when the token server refuses the credentials", async () => {
    const client = createRegistryClient(bearerProxy.host, {
      credentials: credentials(bearerProxy.host, "wrong-Passw0rd"),
    });
    const error = await client.getManifest("auth/app", "v1").catch((e: unknown) => e);
    client.close();
    expect((error as RegistryError).status).toBe(401);
    expect((error as RegistryError).message).toContain(`http://${bearerProxy.host}/token`);
    expect((error as RegistryError).message).not.toContain("wrong-Passw0rd");
  });

  it("fails with UNAUTHORIZED when anonymous against a registry that demands credentials", async () => {
    const client = createRegistryClient(basicProxy.host);
    const error = await client.listTags("auth/app").catch((e: unknown) => e);
    client.close();
    expect((error as RegistryError).status).toBe(401);
  });
});
