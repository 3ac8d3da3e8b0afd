import { ECRClient, GetAuthorizationTokenCommand } from "@aws-sdk/client-ecr";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { EcrRegistryDirectory } from "../../src/aws/EcrRegistryDirectory.ts";
import { regionalClients } from "../../src/aws/regionalClients.ts";
import type { HttpRegistryClient } from "../../src/registry/remote/HttpRegistryClient.ts";

const ecrMock = mockClient(ECRClient);
afterEach(() => ecrMock.reset());

function directory(dnsSuffix?: string) {
  const regions: string[] = [];
  const ecr = regionalClients((region) => {
    regions.push(region);
    return new ECRClient({ region, credentials: { accessKeyId: "k", secretAccessKey: "s" } });
  });
  return {
    regions,
    registries: new EcrRegistryDirectory({ account: "123456789012", ecr, ...(dnsSuffix && { dnsSuffix }) }),
  };
}

describe("EcrRegistryDirectory", () => {
  it("gives each region its ECR host, one client per region", () => {
    const { registries } = directory();
    const eu = registries.clientFor("eu-west-1");
    expect(eu.registry).toBe("123456789012.dkr.ecr.eu-west-1.amazonaws.com");
    expect(registries.clientFor("eu-west-1")).toBe(eu);
    expect(registries.clientFor("ap-southeast-2").registry).toBe(
      "123456789012.dkr.ecr.ap-southeast-2.amazonaws.com",
    );
    expect(directory("amazonaws.com.cn").registries.clientFor("cn-north-1").registry).toBe(
      "123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn",
    );
  });

  it("authorizes with the region's GetAuthorizationToken as user AWS", async () => {
    ecrMock.on(GetAuthorizationTokenCommand).resolves({
      authorizationData: [
        {
          authorizationToken: Buffer.from("AWS:token-eu").toString("base64"),
          expiresAt: new Date(Date.now() + 3_600_000),
        },
      ],
    });
    const { registries, regions } = directory();
    const client = registries.clientFor("eu-west-1") as HttpRegistryClient;
    const credentials = await client.transport.options.credentials.credentialsFor(client.registry);
    expect(credentials).toEqual({ username: "AWS", password: "token-eu" });
    expect(regions).toEqual(["eu-west-1"]);
    expect(ecrMock.commandCalls(GetAuthorizationTokenCommand)[0]?.args[0].input).toEqual({
      registryIds: ["123456789012"],
    });
  });

  it.each(["eu-west-1.evil.example/x", "EU-WEST-1", "", "eu-west-1:443"])(
    "refuses %j as a region",
    (region) => {
      expect(() => directory().registries.clientFor(region)).toThrow(/not a region name/);
    },
  );
});
