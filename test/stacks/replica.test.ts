import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { lifecyclePolicy } from "../../src/config/lifecyclePolicy.ts";
import type { PortcullisConfig, PortcullisConfigInput } from "../../src/config/PortcullisConfig.ts";
import { parseConfig } from "../../src/config/parseConfig.ts";
import { formatIssues } from "../../src/core/formatIssue.ts";
import { ValidationError } from "../../src/core/ValidationError.ts";
import { connectionActions } from "../../stacks/Build.ts";
import { type CfnProps, type CfnTemplate, synthPortcullis } from "./synthPortcullis.ts";

function config(overrides: Partial<PortcullisConfigInput> = {}): PortcullisConfig {
  const parsed = parseConfig({
    primaryRegion: "us-east-1",
    replicaRegions: ["eu-west-1"],
    repositories: [
      { name: "shop/web", platforms: ["linux/amd64", "linux/arm64"] },
      { name: "shop/worker", context: "worker", platforms: ["linux/arm64"] },
    ],
    github: { owner: "octo-org", repo: "shop", branches: ["main"] },
    policyFile: "examples/policies/portcullis.policy.yaml", // the Pipeline stack bundles it
    ...overrides,
  });
  if (!parsed.ok) throw new Error(formatIssues(parsed.error));
  return parsed.value;
}

const resources = (template: CfnTemplate | undefined, type: string) =>
  Object.values(template?.Resources ?? {})
    .filter((r) => r.Type === type)
    .map((r) => r.Properties as CfnProps);

describe("a replica region", () => {
  it("gets the same repositories with the same settings and its own key, and nothing else", async () => {
    const c = config();
    const app = await synthPortcullis(c, "eu-west-1");
    expect([...app.json.keys()]).toEqual(["Registry"]);
    const repositories = resources(app.json.get("Registry"), "AWS::ECR::Repository");
    expect(repositories.map((r) => r.RepositoryName)).toEqual(["shop/web", "shop/worker"]);
    for (const repository of repositories) {
      expect(repository).toMatchObject({
        ImageScanningConfiguration: { ScanOnPush: true },
        ImageTagMutability: "IMMUTABLE_WITH_EXCLUSION",
        EncryptionConfiguration: { EncryptionType: "KMS" },
      });
      expect(JSON.parse(repository.LifecyclePolicy.LifecyclePolicyText)).toEqual(lifecyclePolicy(c));
    }
    expect(resources(app.json.get("Registry"), "AWS::KMS::Key")).toHaveLength(1);
    expect(resources(app.json.get("Registry"), "AWS::KMS::Alias")).toEqual([
      { AliasName: "alias/portcullis/test/registry", TargetKeyId: expect.anything() },
    ]);
    expect(app.messages.filter((m) => m.level === "error")).toEqual([]);
  });

  it("refuses a region that is neither primary nor replica, naming it", async () => {
    const error = await synthPortcullis(config(), "ap-south-1").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toMatch(
      /region: "ap-south-1" is neither primaryRegion \(us-east-1\) nor one of replicaRegions \(eu-west-1\)/,
    );
  });
});

describe("enhanced scanning and per-repository platforms", () => {
  it("scans continuously with Inspector, registry-wide, for exactly the configured repositories", async () => {
    const app = await synthPortcullis(
      config({ scanning: "enhanced", manageRegistryScanning: ["us-east-1"] }),
    );
    const [scanning] = resources(app.json.get("Registry"), "AWS::ECR::RegistryScanningConfiguration");
    expect(scanning).toEqual({
      ScanType: "ENHANCED",
      Rules: [
        {
          ScanFrequency: "CONTINUOUS_SCAN",
          RepositoryFilters: [
            { Filter: "shop/web", FilterType: "WILDCARD" },
            { Filter: "shop/worker", FilterType: "WILDCARD" },
          ],
        },
      ],
    });
    for (const repository of resources(app.json.get("Registry"), "AWS::ECR::Repository"))
      expect(repository.ImageScanningConfiguration).toEqual({ ScanOnPush: false });

    const projects = resources(app.json.get("Build"), "AWS::CodeBuild::Project");
    const worker = projects.find((p) => p.Name === "portcullis-test-shop-worker");
    const graph = parse(worker?.Source.BuildSpec).batch["build-graph"] as {
      identifier: string;
      "depend-on"?: string[];
    }[];
    expect(graph.map((job) => job.identifier)).toEqual(["arm64", "index"]);
    expect(graph[1]?.["depend-on"]).toEqual(["arm64"]);
    expect(worker?.BuildBatchConfig.Restrictions.MaximumBuildsAllowed).toBe(2);
    expect(app.messages.filter((m) => m.level === "error")).toEqual([]);
  });

  it("leaves the account-wide registry scanning configuration alone unless a region is listed", async () => {
    const scanningIn = async (region: string, overrides: Partial<PortcullisConfigInput>) =>
      resources(
        (await synthPortcullis(config(overrides), region)).json.get("Registry"),
        "AWS::ECR::RegistryScanningConfiguration",
      );
    // Enhanced, managed in the primary region only: a replica region's registry keeps its owner's setting.
    expect(
      await scanningIn("eu-west-1", { scanning: "enhanced", manageRegistryScanning: ["us-east-1"] }),
    ).toEqual([]);
    expect(await scanningIn("eu-west-1", { scanning: "enhanced" })).toEqual([]);
    expect(await scanningIn("eu-west-1", { manageRegistryScanning: ["eu-west-1"] })).toEqual([
      {
        ScanType: "BASIC",
        Rules: [
          {
            ScanFrequency: "SCAN_ON_PUSH",
            RepositoryFilters: [
              { Filter: "shop/web", FilterType: "WILDCARD" },
              { Filter: "shop/worker", FilterType: "WILDCARD" },
            ],
          },
        ],
      },
    ]);
  });

  it("refuses to manage registry scanning in a region it does not deploy to, naming it", () => {
    const parsed = parseConfig({
      primaryRegion: "us-east-1",
      repositories: [{ name: "shop/web" }],
      github: { owner: "octo-org", repo: "shop" },
      manageRegistryScanning: ["ap-south-1"],
    });
    expect(parsed.ok ? "" : formatIssues(parsed.error)).toMatch(
      /manageRegistryScanning\[0\]: "ap-south-1" is neither primaryRegion nor one of replicaRegions/,
    );
  });

  it("uses an existing OIDC provider and a CodeConnections connection when configured", async () => {
    const app = await synthPortcullis(
      config({
        github: {
          owner: "octo-org",
          repo: "shop",
          branches: ["main"],
          oidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com",
          connectionArn:
            "arn:aws:codeconnections:us-east-1:123456789012:connection/0a1b2c3d-0000-4000-8000-0123456789ab",
        },
      }),
    );
    const build = app.json.get("Build");
    expect(resources(build, "AWS::IAM::OIDCProvider")).toEqual([]);
    const role = resources(build, "AWS::IAM::Role").find((r) =>
      JSON.stringify(r.AssumeRolePolicyDocument).includes("WebIdentity"),
    );
    expect(role?.AssumeRolePolicyDocument.Statement[0].Principal.Federated).toBe(
      "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com",
    );
    for (const project of resources(build, "AWS::CodeBuild::Project"))
      expect(project.Source.Auth).toEqual({
        Type: "CODECONNECTIONS",
        Resource: expect.stringContaining(":connection/"),
      });
    const connection = resources(build, "AWS::IAM::Policy")
      .flatMap(
        (policy) => policy.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[],
      )
      .filter((statement) => JSON.stringify(statement.Resource).includes(":connection/"));
    // IAM matches the action's prefix against the ARN's: codestar-connections actions never apply here.
    expect(connection.map((statement) => statement.Action)).toEqual([
      [
        "codeconnections:GetConnection",
        "codeconnections:GetConnectionToken",
        "codeconnections:UseConnection",
      ],
      [
        "codeconnections:GetConnection",
        "codeconnections:GetConnectionToken",
        "codeconnections:UseConnection",
      ],
    ]);
  });

  it("grants a connection's actions under the prefix of its ARN, old or new", () => {
    const id = "123456789012:connection/0a1b2c3d-0000-4000-8000-0123456789ab";
    expect(connectionActions(`arn:aws:codestar-connections:us-east-1:${id}`)).toEqual([
      "codestar-connections:GetConnection",
      "codestar-connections:GetConnectionToken",
      "codestar-connections:UseConnection",
    ]);
    expect(connectionActions(`arn:aws:codeconnections:us-east-1:${id}`)).toEqual([
      "codeconnections:GetConnection",
      "codeconnections:GetConnectionToken",
      "codeconnections:UseConnection",
    ]);
  });
});
