import { describe, expect, it } from "vitest";
import { githubSubjects } from "../../src/oidc/githubSubjects.ts";
import { parseReleaseIdentity } from "../../src/oidc/ReleaseIdentity.ts";
import { trustPolicy } from "../../src/oidc/trustPolicy.ts";

const PROVIDER = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
const identity = {
  owner: "Octo-Org",
  repo: "Shop",
  branches: ["main", "release/2.x"],
  tagPatterns: ["v*", "stable"],
  environments: ["production"],
};

describe("githubSubjects", () => {
  it("writes the subjects GitHub issues, exact ones apart from tag patterns", () => {
    expect(githubSubjects(identity)).toEqual({
      exact: [
        "repo:Octo-Org/Shop:ref:refs/heads/main",
        "repo:Octo-Org/Shop:ref:refs/heads/release/2.x",
        "repo:Octo-Org/Shop:ref:refs/tags/stable",
        "repo:Octo-Org/Shop:environment:production",
      ],
      patterns: ["repo:Octo-Org/Shop:ref:refs/tags/v*"],
    });
  });
});

describe("trustPolicy", () => {
  it("requires aud and compares subjects with StringEquals, tag patterns apart with StringLike", () => {
    expect(trustPolicy({ providerArn: PROVIDER, identity })).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "GitHubReleaseRefs",
          Effect: "Allow",
          Principal: { Federated: PROVIDER },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: {
            StringEquals: {
              "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
              "token.actions.githubusercontent.com:sub": [
                "repo:Octo-Org/Shop:ref:refs/heads/main",
                "repo:Octo-Org/Shop:ref:refs/heads/release/2.x",
                "repo:Octo-Org/Shop:ref:refs/tags/stable",
                "repo:Octo-Org/Shop:environment:production",
              ],
            },
          },
        },
        {
          Sid: "GitHubReleaseTagPatterns",
          Effect: "Allow",
          Principal: { Federated: PROVIDER },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: {
            StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" },
            StringLike: {
              "token.actions.githubusercontent.com:sub": ["repo:Octo-Org/Shop:ref:refs/tags/v*"],
            },
          },
        },
      ],
    });
  });

  it("leaves out the pattern statement when no tag pattern has a wildcard", () => {
    const policy = trustPolicy({ providerArn: PROVIDER, identity: { ...identity, tagPatterns: [] } });
    expect(policy.Statement.map((s) => s.Sid)).toEqual(["GitHubReleaseRefs"]);
    expect(JSON.stringify(policy)).not.toMatch(/\*|pull_request/);
  });
});

describe("parseReleaseIdentity", () => {
  it("refuses an identity that admits nothing", () => {
    const parsed = parseReleaseIdentity({
      owner: "o",
      repo: "r",
      branches: [],
      tagPatterns: [],
      environments: [],
    });
    expect(!parsed.ok && parsed.error[0]?.message).toMatch(/nothing could assume/);
  });

  it("refuses a wildcard branch with the reason", () => {
    const parsed = parseReleaseIdentity({ owner: "o", repo: "r", branches: ["*"] });
    expect(!parsed.ok && parsed.error[0]).toMatchObject({ field: "branches[0]", value: "*" });
  });
});
