import { describe, expect, it } from "vitest";
import { SettingsError } from "../../src/lambda/errors.ts";
import { loadSettings } from "../../src/lambda/loadSettings.ts";

const env = {
  PORTCULLIS_ACCOUNT: "123456789012",
  PORTCULLIS_PRIMARY_REGION: "us-east-1",
  PORTCULLIS_REPLICA_REGIONS: "eu-west-1, ap-southeast-2",
  PORTCULLIS_REPOSITORIES: "team/app,team/api",
  PORTCULLIS_TABLE_NAME: "portcullis-prod-State",
  PORTCULLIS_EVENT_BUS: "portcullis-prod",
  PORTCULLIS_TOPIC_ARN: "arn:aws:sns:us-east-1:123456789012:portcullis-prod-events",
  PORTCULLIS_TAG_RULES: JSON.stringify({
    defaultBranch: "main",
    latest: "release",
    floatingTags: false,
    majorZeroTag: false,
  }),
};

function issues(names: Parameters<typeof loadSettings>[0], overrides: Record<string, string | undefined>) {
  try {
    loadSettings(names, { ...env, ...overrides });
  } catch (error) {
    if (error instanceof SettingsError) return error.issues.map((i) => `${i.field}: ${i.message}`);
    throw error;
  }
  return [];
}

describe("loadSettings", () => {
  it("reads and converts the named variables", () => {
    expect(
      loadSettings(
        ["account", "primaryRegion", "replicaRegions", "repositories", "tableName", "topicArn", "tagRules"],
        env,
      ),
    ).toEqual({
      account: "123456789012",
      primaryRegion: "us-east-1",
      replicaRegions: ["eu-west-1", "ap-southeast-2"],
      repositories: ["team/app", "team/api"],
      tableName: "portcullis-prod-State",
      topicArn: "arn:aws:sns:us-east-1:123456789012:portcullis-prod-events",
      tagRules: { defaultBranch: "main", latest: "release", floatingTags: false, majorZeroTag: false },
    });
  });

  it("reads only the variables asked for", () => {
    expect(loadSettings(["tableName"], { PORTCULLIS_TABLE_NAME: "t-1" })).toEqual({ tableName: "t-1" });
  });

  it("leaves an unset optional variable out and reads a blank replica list as none", () => {
    expect(loadSettings(["kmsKey", "replicaRegions"], { PORTCULLIS_REPLICA_REGIONS: "" })).toEqual({
      replicaRegions: [],
    });
  });

  it.each([
    [
      "a missing variable",
      ["tableName"],
      { PORTCULLIS_TABLE_NAME: undefined },
      ["PORTCULLIS_TABLE_NAME: is required"],
    ],
    [
      "an unset replica list (blank means none)",
      ["replicaRegions"],
      { PORTCULLIS_REPLICA_REGIONS: undefined },
      ["PORTCULLIS_REPLICA_REGIONS: is required"],
    ],
    [
      "a blank variable",
      ["eventBusName"],
      { PORTCULLIS_EVENT_BUS: "  " },
      ["PORTCULLIS_EVENT_BUS: is required"],
    ],
    [
      "a short account",
      ["account"],
      { PORTCULLIS_ACCOUNT: "12345" },
      ["PORTCULLIS_ACCOUNT: must be an AWS account id of 12 digits"],
    ],
    [
      "a bad region in a list, by position",
      ["replicaRegions"],
      { PORTCULLIS_REPLICA_REGIONS: "eu-west-1,mars-1" },
      ["PORTCULLIS_REPLICA_REGIONS[1]: must be an AWS region like us-east-1"],
    ],
    [
      "no repositories",
      ["repositories"],
      { PORTCULLIS_REPOSITORIES: " , " },
      ["PORTCULLIS_REPOSITORIES: must have at least 1 items"],
    ],
    [
      "a topic that is a queue",
      ["topicArn"],
      { PORTCULLIS_TOPIC_ARN: "arn:aws:sqs:us-east-1:123456789012:q" },
      ["PORTCULLIS_TOPIC_ARN: must be an SNS topic ARN"],
    ],
    [
      "JSON that does not parse",
      ["tagRules"],
      { PORTCULLIS_TAG_RULES: "{latest" },
      ["PORTCULLIS_TAG_RULES: must be valid JSON"],
    ],
    [
      "JSON of the wrong shape, by field",
      ["tagRules"],
      {
        PORTCULLIS_TAG_RULES: JSON.stringify({
          defaultBranch: "main",
          latest: "sometimes",
          floatingTags: false,
          majorZeroTag: false,
        }),
      },
      ['PORTCULLIS_TAG_RULES.latest: must be one of "default-branch", "release", "both", "none"'],
    ],
    [
      "a KMS key ARN instead of an alias",
      ["kmsKey"],
      { PORTCULLIS_KMS_KEY: "arn:aws:kms:us-east-1:1:key/x" },
      ["PORTCULLIS_KMS_KEY: must be a KMS alias (alias/…) that exists in every region"],
    ],
    [
      "a plain http GitHub API off loopback",
      ["githubApiUrl"],
      { PORTCULLIS_GITHUB_API_URL: "http://github.example.com/api/v3" },
      [
        "PORTCULLIS_GITHUB_API_URL: must be an https URL (e.g. https://github.example.com/api/v3); plain http only on loopback",
      ],
    ],
    [
      "a policy path leaving the bundle",
      ["policyFile"],
      { PORTCULLIS_POLICY_FILE: "../etc/policy.yaml" },
      ["PORTCULLIS_POLICY_FILE: must not contain '..'"],
    ],
  ] as const)("names %s", (_title, names, overrides, expected) => {
    expect(issues(names, overrides)).toEqual(expected);
  });

  it("reports every bad variable at once, in a message naming each", () => {
    const error = (() => {
      try {
        loadSettings(["tableName", "eventBusName", "account"], { PORTCULLIS_ACCOUNT: "x" });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error).toBeInstanceOf(SettingsError);
    expect(error?.message).toBe(
      [
        "invalid Lambda environment (variables set by the Portcullis stacks):",
        "PORTCULLIS_TABLE_NAME: (missing) is required",
        "PORTCULLIS_EVENT_BUS: (missing) is required",
        'PORTCULLIS_ACCOUNT: "x" must be an AWS account id of 12 digits',
      ].join("\n"),
    );
  });
});
