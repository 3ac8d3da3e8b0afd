import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ECRClient, GetAuthorizationTokenCommand } from "@aws-sdk/client-ecr";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ValidationError } from "../../src/core/index.ts";
import { ecrCredentials } from "../../src/registry/credentials/ecrCredentials.ts";
import {
  chainCredentials,
  dockerConfigCredentials,
  envCredentials,
  parseEcrHost,
  staticCredentials,
} from "../../src/registry/index.ts";

const ECR = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";

describe("envCredentials", () => {
  const env = { PORTCULLIS_REGISTRY_USERNAME: "ci", PORTCULLIS_REGISTRY_PASSWORD: "pw" };

  it("serves every registry when no host is named", async () => {
    expect(await envCredentials(env).credentialsFor("a.example")).toEqual({ username: "ci", password: "pw" });
  });

  it("serves only PORTCULLIS_REGISTRY when it is set", async () => {
    const scoped = envCredentials({ ...env, PORTCULLIS_REGISTRY: "a.example" });
    expect(await scoped.credentialsFor("a.example")).toBeDefined();
    expect(await scoped.credentialsFor("b.example")).toBeUndefined();
  });

  it("is anonymous without a username", async () => {
    expect(
      await envCredentials({ PORTCULLIS_REGISTRY_PASSWORD: "pw" }).credentialsFor("a.example"),
    ).toBeUndefined();
  });
});

describe("dockerConfigCredentials", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "portcullis-docker-config-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("decodes auths by host, https:// key, and username/password fields", async () => {
    const path = join(dir, "config.json");
    await writeFile(
      path,
      JSON.stringify({
        auths: {
          "a.example": { auth: Buffer.from("alice:pa:ss").toString("base64") },
          "https://b.example": { username: "bob", password: "pw" },
          "https://index.docker.io/v1/": { auth: Buffer.from("hub:tok").toString("base64") },
        },
        credsStore: "desktop",
      }),
    );
    const provider = dockerConfigCredentials(path);
    expect(await provider.credentialsFor("a.example")).toEqual({ username: "alice", password: "pa:ss" });
    expect(await provider.credentialsFor("b.example")).toEqual({ username: "bob", password: "pw" });
    expect(await provider.credentialsFor("docker.io")).toEqual({ username: "hub", password: "tok" });
    expect(await provider.credentialsFor("c.example")).toBeUndefined();
  });

  it("treats a missing file as no credentials", async () => {
    expect(
      await dockerConfigCredentials(join(dir, "absent.json")).credentialsFor("a.example"),
    ).toBeUndefined();
  });

  it("refuses a malformed file, naming it", async () => {
    const path = join(dir, "broken.json");
    await writeFile(path, "{ not json");
    const error = await dockerConfigCredentials(path)
      .credentialsFor("a.example")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toContain(path);
  });
});

describe("chainCredentials", () => {
  it("takes the first provider that knows the registry", async () => {
    const chain = chainCredentials(
      staticCredentials({ a: { username: "1", password: "1" } }),
      staticCredentials({ a: { username: "2", password: "2" }, b: { username: "3", password: "3" } }),
    );
    expect((await chain.credentialsFor("a"))?.username).toBe("1");
    expect((await chain.credentialsFor("b"))?.username).toBe("3");
    expect(await chain.credentialsFor("c")).toBeUndefined();
  });
});

describe("parseEcrHost", () => {
  it.each([
    [ECR, { account: "123456789012", region: "eu-west-1" }],
    ["123456789012.dkr.ecr-fips.us-east-1.amazonaws.com", { account: "123456789012", region: "us-east-1" }],
    ["123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn", { account: "123456789012", region: "cn-north-1" }],
    ["12345.dkr.ecr.eu-west-1.amazonaws.com", undefined],
    ["127.0.0.1:5000", undefined],
    [`${ECR}.evil.example`, undefined],
  ])("%s → %j", (host, expected) => {
    expect(parseEcrHost(host)).toEqual(expected);
  });
});

describe("ecrCredentials", () => {
  function setup(expiresInMs: number) {
    const ecr = mockClient(ECRClient);
    let now = 1_000_000;
    let calls = 0;
    ecr.on(GetAuthorizationTokenCommand).callsFake(() => {
      calls++;
      return {
        authorizationData: [
          {
            authorizationToken: Buffer.from(`AWS:token-${calls}`).toString("base64"),
            expiresAt: new Date(now + expiresInMs),
          },
        ],
      };
    });
    const regions: string[] = [];
    const provider = ecrCredentials({
      clientFor: (region) => {
        regions.push(region);
        return new ECRClient({ region });
      },
      now: () => now,
      refreshMarginMs: 60_000,
    });
    return { ecr, provider, calls: () => calls, advance: (ms: number) => (now += ms), regions };
  }

  it("decodes the AWS:<token> credential and caches it until shortly before expiry", async () => {
    const { ecr, provider, calls, advance, regions } = setup(12 * 3600_000);
    expect(await provider.credentialsFor(ECR)).toEqual({ username: "AWS", password: "token-1" });
    expect(await provider.credentialsFor(ECR)).toEqual({ username: "AWS", password: "token-1" });
    expect(calls()).toBe(1);
    expect(regions).toEqual(["eu-west-1"]);
    expect(ecr.commandCalls(GetAuthorizationTokenCommand)[0]?.args[0].input).toEqual({
      registryIds: ["123456789012"],
    });
    advance(12 * 3600_000 - 30_000);
    expect((await provider.credentialsFor(ECR))?.password).toBe("token-2");
    ecr.restore();
  });

  it("shares one request between concurrent callers", async () => {
    const { ecr, provider, calls } = setup(3600_000);
    await Promise.all([
      provider.credentialsFor(ECR),
      provider.credentialsFor(ECR),
      provider.credentialsFor(ECR),
    ]);
    expect(calls()).toBe(1);
    ecr.restore();
  });

  it("says nothing about other registries and never calls AWS for them", async () => {
    const { ecr, provider, calls } = setup(3600_000);
    expect(await provider.credentialsFor("127.0.0.1:5000")).toBeUndefined();
    expect(calls()).toBe(0);
    ecr.restore();
  });

  it("retries after a failed token request instead of caching the failure", async () => {
    const ecr = mockClient(ECRClient);
    ecr
      .on(GetAuthorizationTokenCommand)
      .rejectsOnce(new Error("throttled"))
      .resolves({
        authorizationData: [
          {
            authorizationToken: Buffer.from("AWS:ok").toString("base64"),
            expiresAt: new Date(Date.now() + 3600_000),
          },
        ],
      });
    const provider = ecrCredentials({ clientFor: (region) => new ECRClient({ region }) });
    await expect(provider.credentialsFor(ECR)).rejects.toThrow("throttled");
    expect((await provider.credentialsFor(ECR))?.password).toBe("ok");
    ecr.restore();
  });
});
