import type { IncomingHttpHeaders } from "node:http";
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

  it.each([
    ["Basic", "monolithic", () => basicProxy, undefined],
    ["Basic", "chunked", () => basicProxy, 100_000],
    ["Bearer", "monolithic", () => bearerProxy, undefined],
    ["Bearer", "chunked", () => bearerProxy, 100_000],
  ])(
    "sends %s credentials only to the registry's origin, not to a %s upload Location on another port",
    async (_kind, _mode, front, chunkSize) => {
      const registry = front();
      const stranger = await startFaultProxy(registry === basicProxy ? a.host : b.host);
      const toStranger = (_body: Buffer, headers: IncomingHttpHeaders) => ({
        body: _body,
        headers: { ...headers, location: headers.location?.replace(registry.host, stranger.host) },
      });
      registry.faults([{ path: /\/blobs\/uploads\//, fault: { kind: "rewrite", rewrite: toStranger } }]);
      const plain = await startRegistry();
      const source = createRegistryClient(plain.host);
      const target = createRegistryClient(registry.host, { credentials: credentials(registry.host) });
      try {
        const index = await randomIndex({ sharedLayers: [300_000], platformLayers: [1000] });
        await pushTestImage(source, "origin/app", index, "v1");
        const result = await copy({
          source,
          target,
          from: ref(`${plain.host}/origin/app:v1`),
          to: ref(`${registry.host}/origin/app:v1`),
          ...(chunkSize === undefined ? {} : { chunkSize }),
        });
        expect(result.digest).toBe(index.root.digest);
        expect(stranger.seen.filter((r) => /\/blobs\/uploads\//.test(r.path)).length).toBeGreaterThan(0);
        expect(stranger.seen.filter((r) => r.authorization !== undefined)).toEqual([]);
      } finally {
        registry.faults([]);
        source.close();
        target.close();
        await stranger.stop();
        await plain.stop();
      }
    },
  );

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
