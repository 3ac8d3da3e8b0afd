import {
  CreateRepositoryCommand,
  ECRClient,
  GetLifecyclePolicyCommand,
  LifecyclePolicyNotFoundException,
  PutLifecyclePolicyCommand,
  RepositoryAlreadyExistsException,
} from "@aws-sdk/client-ecr";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { EcrRepositoryProvisioner } from "../../src/aws/EcrRepositoryProvisioner.ts";
import { RepositoryProvisioningError } from "../../src/aws/errors.ts";
import { regionalClients } from "../../src/aws/regionalClients.ts";
import { parseConfig, repositorySettings } from "../../src/config/index.ts";

const ecrMock = mockClient(ECRClient);
afterEach(() => ecrMock.reset());

const config = parseConfig({
  primaryRegion: "us-east-1",
  replicaRegions: ["eu-west-1"],
  repositories: [{ name: "team/app" }],
  github: { owner: "octo-org", repo: "app", branches: ["main"], tagPatterns: ["v*"] },
  tags: { latest: "release", floatingTags: false },
});
if (!config.ok) throw new Error(JSON.stringify(config.error));
const settings = repositorySettings(config.value);
if (!settings.ok) throw new Error(JSON.stringify(settings.error));

function provisioner(kmsKey?: string) {
  const regions: string[] = [];
  const ecr = regionalClients((region) => {
    regions.push(region);
    return new ECRClient({ region, credentials: { accessKeyId: "k", secretAccessKey: "s" } });
  });
  return {
    regions,
    provisioner: new EcrRepositoryProvisioner({
      ecr,
      settings: settings.ok ? settings.value : (undefined as never),
      ...(kmsKey && { kmsKey: () => kmsKey }),
      tags: { "portcullis:managed": "true" },
    }),
  };
}

describe("EcrRepositoryProvisioner", () => {
  it("creates the repository with scanning, tag mutability filters, KMS and tags, then puts the lifecycle policy", async () => {
    ecrMock.on(CreateRepositoryCommand).resolves({});
    ecrMock.on(PutLifecyclePolicyCommand).resolves({});
    const { provisioner: p, regions } = provisioner("alias/portcullis-ecr");
    expect(await p.ensureRepository("eu-west-1", "team/app")).toBe("created");
    expect(regions).toEqual(["eu-west-1"]);
    expect(ecrMock.commandCalls(CreateRepositoryCommand).map((c) => c.args[0].input)).toEqual([
      {
        repositoryName: "team/app",
        imageScanningConfiguration: { scanOnPush: true },
        imageTagMutability: "IMMUTABLE_WITH_EXCLUSION",
        imageTagMutabilityExclusionFilters: [
          { filterType: "WILDCARD", filter: "main" },
          { filterType: "WILDCARD", filter: "latest" },
        ],
        encryptionConfiguration: { encryptionType: "KMS", kmsKey: "alias/portcullis-ecr" },
        tags: [{ Key: "portcullis:managed", Value: "true" }],
      },
    ]);
    const put = ecrMock.commandCalls(PutLifecyclePolicyCommand).map((c) => c.args[0].input);
    expect(put).toEqual([{ repositoryName: "team/app", lifecyclePolicyText: expect.any(String) }]);
    const policy = JSON.parse(put[0]?.lifecyclePolicyText ?? "{}");
    expect(policy).toEqual(settings.ok && settings.value.lifecyclePolicy);
    expect(policy.rules.map((r: { rulePriority: number }) => r.rulePriority)).toEqual(
      policy.rules.map((_: unknown, i: number) => i + 1),
    );
    expect(ecrMock.commandCalls(GetLifecyclePolicyCommand)).toHaveLength(0);
  });

  it("sends no exclusion filters for IMMUTABLE (ECR refuses an empty list)", () => {
    const base = settings.ok ? settings.value : (undefined as never);
    const p = new EcrRepositoryProvisioner({
      ecr: regionalClients((region) => new ECRClient({ region })),
      settings: { ...base, tagMutability: { imageTagMutability: "IMMUTABLE", filters: [] } },
    });
    const request = p.createRequest("eu-west-1", "team/app");
    expect(request.imageTagMutability).toBe("IMMUTABLE");
    expect(request).not.toHaveProperty("imageTagMutabilityExclusionFilters");
  });

  it("uses ECR's AWS-managed KMS key when no key is configured", () => {
    const request = provisioner().provisioner.createRequest("eu-west-1", "team/app");
    expect(request.encryptionConfiguration).toEqual({ encryptionType: "KMS" });
  });

  it("leaves an existing repository with its lifecycle policy alone", async () => {
    ecrMock
      .on(CreateRepositoryCommand)
      .rejects(new RepositoryAlreadyExistsException({ message: "exists", $metadata: {} }));
    ecrMock.on(GetLifecyclePolicyCommand).resolves({ lifecyclePolicyText: "{}" });
    expect(await provisioner().provisioner.ensureRepository("eu-west-1", "team/app")).toBe("exists");
    expect(ecrMock.commandCalls(PutLifecyclePolicyCommand)).toHaveLength(0);
  });

  it("completes an existing repository that has no lifecycle policy (a run stopped between the calls)", async () => {
    ecrMock
      .on(CreateRepositoryCommand)
      .rejects(new RepositoryAlreadyExistsException({ message: "exists", $metadata: {} }));
    ecrMock
      .on(GetLifecyclePolicyCommand)
      .rejects(new LifecyclePolicyNotFoundException({ message: "none", $metadata: {} }));
    ecrMock.on(PutLifecyclePolicyCommand).resolves({});
    expect(await provisioner().provisioner.ensureRepository("eu-west-1", "team/app")).toBe("exists");
    expect(ecrMock.commandCalls(PutLifecyclePolicyCommand)).toHaveLength(1);
  });

  it("asks ECR once per region and repository in a container", async () => {
    ecrMock.on(CreateRepositoryCommand).resolves({});
    ecrMock.on(PutLifecyclePolicyCommand).resolves({});
    const { provisioner: p } = provisioner();
    await p.ensureRepository("eu-west-1", "team/app");
    expect(await p.ensureRepository("eu-west-1", "team/app")).toBe("exists");
    await p.ensureRepository("ap-southeast-2", "team/app");
    expect(ecrMock.commandCalls(CreateRepositoryCommand)).toHaveLength(2);
  });

  it("names the region, repository and step when ECR refuses, and asks again next time", async () => {
    ecrMock.on(CreateRepositoryCommand).resolves({});
    ecrMock.on(PutLifecyclePolicyCommand).rejectsOnce(new Error("AccessDenied")).resolves({});
    const { provisioner: p } = provisioner();
    const error = await p.ensureRepository("eu-west-1", "team/app").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RepositoryProvisioningError);
    expect((error as Error).message).toBe(
      "setting the lifecycle policy of team/app in eu-west-1: Error: AccessDenied",
    );
    ecrMock
      .on(CreateRepositoryCommand)
      .rejects(new RepositoryAlreadyExistsException({ message: "exists", $metadata: {} }));
    ecrMock
      .on(GetLifecyclePolicyCommand)
      .rejects(new LifecyclePolicyNotFoundException({ message: "none", $metadata: {} }));
    expect(await p.ensureRepository("eu-west-1", "team/app")).toBe("exists");
    expect(ecrMock.commandCalls(PutLifecyclePolicyCommand)).toHaveLength(2);
  });
});
