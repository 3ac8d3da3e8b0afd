import { beforeAll, describe, expect, it } from "vitest";
import example from "../../portcullis.config.ts";
import type { PortcullisConfig } from "../../src/config/PortcullisConfig.ts";
import { parseConfig } from "../../src/config/parseConfig.ts";
import { formatIssues } from "../../src/core/formatIssue.ts";
import { type CfnTemplate, synthPortcullis } from "./synthPortcullis.ts";
import { emptyStrings, policyStatements, unknownIam } from "./templateRules.ts";

/** The example, with every option that adds resources or grants switched on. */
function everythingConfig(): PortcullisConfig {
  const parsed = parseConfig({
    ...example,
    scanning: "enhanced",
    manageRegistryScanning: ["us-east-1", "eu-west-1"],
    github: {
      ...example.github,
      connectionArn:
        "arn:aws:codestar-connections:us-east-1:123456789012:connection/0a1b2c3d-0000-4000-8000-0123456789ab",
    },
    build: {
      buildkitImage: `123456789012.dkr.ecr.us-east-1.amazonaws.com/mirror/buildkit@sha256:${"0".repeat(64)}`,
    },
    functions: { reservedConcurrency: { reconcile: 1 } },
  });
  if (!parsed.ok) throw new Error(formatIssues(parsed.error));
  return parsed.value;
}

describe("every synthesized template (primary region, all options, and a replica region)", () => {
  const templates = new Map<string, CfnTemplate>();
  beforeAll(async () => {
    const config = everythingConfig();
    for (const [region, app] of [
      [config.primaryRegion, await synthPortcullis(config)],
      ["eu-west-1", await synthPortcullis(config, "eu-west-1")],
    ] as const)
      for (const [stack, template] of app.json) templates.set(`${region}/${stack}`, template);
  }, 300_000);

  it("covers the four primary stacks and the replica's Registry, policies included", () => {
    expect([...templates.keys()].sort()).toEqual([
      "eu-west-1/Registry",
      "us-east-1/Build",
      "us-east-1/Pipeline",
      "us-east-1/Registry",
      "us-east-1/State",
    ]);
    const statements = [...templates.values()].flatMap(policyStatements);
    expect(statements.length).toBeGreaterThan(50);
  });

  it("has no empty-string identifier, ARN or name anywhere", () => {
    const problems = [...templates].flatMap(([name, template]) =>
      emptyStrings(template).map((problem) => `${name}: ${problem}`),
    );
    expect(problems).toEqual([]);
  });

  it("uses only IAM actions and condition keys that AWS's service authorization data defines", async () => {
    const problems: string[] = [];
    for (const [name, template] of templates)
      for (const problem of await unknownIam(template)) problems.push(`${name}: ${problem}`);
    expect(problems).toEqual([]);
  });
});

describe("the template rules themselves", () => {
  const template = (
    statement: Record<string, unknown>,
    extra: Record<string, unknown> = {},
  ): CfnTemplate => ({
    Resources: {
      Policy: {
        Type: "AWS::IAM::Policy",
        Properties: {
          PolicyDocument: { Statement: [{ Effect: "Allow", Resource: "*", ...statement }] },
          ...extra,
        },
      },
    },
  });

  it("find an empty identifier, but not a Fn::Join separator", () => {
    expect(emptyStrings(template({ Action: "sqs:SendMessage" }, { KmsKeyIdentifier: "" }))).toEqual([
      'Resources.Policy.Properties.KmsKeyIdentifier is ""',
    ]);
    expect(
      emptyStrings(template({ Action: "sqs:SendMessage" }, { Arn: { "Fn::Join": ["", ["a", "b"]] } })),
    ).toEqual([]);
  });

  it("find a misspelt action, a wildcard matching nothing and an unknown service", async () => {
    const problems = await unknownIam(
      template({
        Action: ["codeconnections:UseConection", "ecr:Frobnicate*", "nosuchservice:Get", "ecr:Batch*"],
      }),
    );
    expect(problems).toEqual([
      "Resources.Policy.Properties.PolicyDocument.Statement[0]: action codeconnections:UseConection does not exist",
      "Resources.Policy.Properties.PolicyDocument.Statement[0]: action ecr:Frobnicate* does not exist",
      "Resources.Policy.Properties.PolicyDocument.Statement[0]: action nosuchservice:Get does not exist",
    ]);
  });

  it("find a condition key that does not exist, or that the action does not support", async () => {
    const problems = await unknownIam(
      template({
        Action: "codebuild:StartBuildBatch",
        Condition: {
          Null: { "codebuild:source.image": "false", "codebuild:source.location": "false" },
          StringEquals: { "codebuild:vpcConfig.vpcId": "vpc-1", "aws:PrincipalAccount": "123456789012" },
        },
      }),
    );
    expect(problems).toEqual([
      "Resources.Policy.Properties.PolicyDocument.Statement[0]: condition key codebuild:source.image (Null) does not exist",
      "Resources.Policy.Properties.PolicyDocument.Statement[0]: condition key codebuild:vpcConfig.vpcId is not one codebuild:StartBuildBatch supports",
    ]);
  });
});
