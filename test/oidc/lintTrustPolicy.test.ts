import { describe, expect, it } from "vitest";
import { lintTrustPolicy } from "../../src/oidc/lintTrustPolicy.ts";
import type { TrustExpectations } from "../../src/oidc/TrustExpectations.ts";
import type { TrustPolicyFinding } from "../../src/oidc/TrustPolicyFinding.ts";
import { trustPolicy } from "../../src/oidc/trustPolicy.ts";

const PROVIDER = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
const AUD = "token.actions.githubusercontent.com:aud";
const SUB = "token.actions.githubusercontent.com:sub";
const expected: TrustExpectations = { repository: "octo-org/shop", branches: ["main"] };

/** A one-statement trust policy with the given condition block. */
function policy(condition: Record<string, Record<string, unknown>>, extra: Record<string, unknown> = {}) {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Federated: PROVIDER },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: condition,
        ...extra,
      },
    ],
  };
}

function codes(document: unknown, expectations: TrustExpectations = expected): string[] {
  const linted = lintTrustPolicy(document, expectations);
  if (!linted.ok) throw new Error(JSON.stringify(linted.error));
  return linted.value.map((f: TrustPolicyFinding) => `${f.severity}:${f.code}`);
}

const good = {
  StringEquals: { [AUD]: "sts.amazonaws.com", [SUB]: "repo:octo-org/shop:ref:refs/heads/main" },
};

describe("lintTrustPolicy", () => {
  it("finds nothing wrong with the policy Portcullis generates", () => {
    const identity = {
      owner: "octo-org",
      repo: "shop",
      branches: ["main"],
      tagPatterns: ["v*"],
      environments: ["prod"],
    };
    const document = trustPolicy({ providerArn: PROVIDER, identity });
    expect(codes(document, { repository: "octo-org/shop", ...identity })).toEqual([]);
  });

  it("finds nothing wrong with a minimal correct policy", () => {
    expect(codes(policy(good))).toEqual([]);
  });

  const rows: [string, unknown, string[], TrustExpectations?][] = [
    [
      "the article's repo:org/repo:* under StringLike",
      policy({ StringEquals: { [AUD]: "sts.amazonaws.com" }, StringLike: { [SUB]: "repo:octo-org/shop:*" } }),
      ["error:admits-pull-requests", "warning:any-branch"],
    ],
    [
      "repo:org/* (every repository, forks' pull requests)",
      policy({ StringEquals: { [AUD]: "sts.amazonaws.com" }, StringLike: { [SUB]: "repo:octo-org/*" } }),
      ["error:admits-pull-requests", "error:wildcard-repository", "warning:any-branch"],
    ],
    [
      "a sub of * (anyone on GitHub)",
      policy({ StringEquals: { [AUD]: "sts.amazonaws.com" }, StringLike: { [SUB]: "*" } }),
      ["error:admits-pull-requests", "error:any-repository", "warning:any-branch"],
    ],
    [
      "no aud condition",
      policy({ StringEquals: { [SUB]: "repo:octo-org/shop:ref:refs/heads/main" } }),
      ["error:missing-aud"],
    ],
    [
      "no sub condition",
      policy({ StringEquals: { [AUD]: "sts.amazonaws.com" } }),
      ["error:missing-sub", "error:admits-pull-requests", "error:any-repository", "warning:any-branch"],
    ],
    [
      "another audience",
      policy({ StringEquals: { [AUD]: "sigstore", [SUB]: "repo:octo-org/shop:ref:refs/heads/main" } }),
      ["error:wrong-aud", "error:not-admitted"],
    ],
    [
      "an audience in the wrong case",
      policy({
        StringEquals: { [AUD]: "STS.amazonaws.com", [SUB]: "repo:octo-org/shop:ref:refs/heads/main" },
      }),
      ["error:case-mismatch", "error:not-admitted"],
    ],
    [
      "the repository in the wrong case",
      policy({
        StringEquals: { [AUD]: "sts.amazonaws.com", [SUB]: "repo:Octo-Org/shop:ref:refs/heads/main" },
      }),
      ["error:case-mismatch", "error:not-admitted"],
    ],
    [
      "the branch in the wrong case",
      policy({
        StringEquals: { [AUD]: "sts.amazonaws.com", [SUB]: "repo:octo-org/shop:ref:refs/heads/Main" },
      }),
      ["error:case-mismatch", "error:not-admitted"],
    ],
    [
      "a branch without refs/heads/",
      policy({ StringEquals: { [AUD]: "sts.amazonaws.com", [SUB]: "repo:octo-org/shop:ref:main" } }),
      ["error:not-admitted", "warning:unrecognized-subject"],
    ],
    [
      "another repository",
      policy({
        StringEquals: { [AUD]: "sts.amazonaws.com", [SUB]: "repo:octo-org/cart:ref:refs/heads/main" },
      }),
      ["error:other-repository", "error:not-admitted"],
    ],
    [
      "a wildcard under StringEquals",
      policy({ StringEquals: { [AUD]: "sts.amazonaws.com", [SUB]: "repo:octo-org/shop:*" } }),
      ["error:literal-wildcard", "error:not-admitted"],
    ],
    [
      "pull requests admitted by name",
      policy({
        StringEquals: {
          [AUD]: "sts.amazonaws.com",
          [SUB]: ["repo:octo-org/shop:ref:refs/heads/main", "repo:octo-org/shop:pull_request"],
        },
      }),
      ["error:admits-pull-requests"],
    ],
    [
      "…IfExists on sub",
      policy({
        StringEquals: { [AUD]: "sts.amazonaws.com" },
        StringEqualsIfExists: { [SUB]: "repo:octo-org/shop:ref:refs/heads/main" },
      }),
      ["error:weak-operator", "error:missing-sub"],
    ],
    [
      "ForAllValues on sub",
      policy({
        StringEquals: { [AUD]: "sts.amazonaws.com" },
        "ForAllValues:StringLike": { [SUB]: "repo:octo-org/shop:ref:refs/heads/main" },
      }),
      ["error:weak-operator", "error:missing-sub"],
    ],
    [
      "StringNotEquals on sub",
      policy({
        StringEquals: { [AUD]: "sts.amazonaws.com" },
        StringNotEquals: { [SUB]: "repo:octo-org/shop:pull_request" },
      }),
      ["error:any-repository", "error:missing-sub", "warning:weak-operator", "warning:any-branch"],
    ],
    [
      "a condition on a claim IAM does not evaluate",
      policy({
        ...good,
        StringLike: { "token.actions.githubusercontent.com:job_workflow_ref": "octo-org/shop/*" },
      }),
      ["error:not-admitted", "warning:unsupported-claim"],
    ],
    ["every STS action", policy(good, { Action: "sts:*" }), ["error:wrong-action"]],
    [
      "a wildcard principal beside the GitHub statement",
      {
        Version: "2012-10-17",
        Statement: [policy(good).Statement[0], { Effect: "Allow", Principal: "*", Action: "sts:AssumeRole" }],
      },
      ["error:wildcard-principal"],
    ],
    [
      "a policy for another provider",
      policy(good, { Principal: { Federated: "arn:aws:iam::1:oidc-provider/gitlab.com" } }),
      ["error:no-github-statement", "error:not-admitted"],
    ],
  ];

  it.each(rows)("flags %s", (_title, document, wanted, expectations) => {
    expect(codes(document, expectations)).toEqual(wanted);
  });

  it("says which statement and value each finding is about", () => {
    const linted = lintTrustPolicy(
      policy({ StringEquals: { [AUD]: "sts.amazonaws.com" }, StringLike: { [SUB]: "repo:octo-org/*" } }),
    );
    const wildcard = linted.ok ? linted.value.find((f) => f.code === "wildcard-repository") : undefined;
    expect(wildcard).toMatchObject({
      statement: 0,
      value: "repo:octo-org/portcullis-probe:ref:refs/heads/main",
    });
    expect(wildcard?.message).toMatch(/every repository of octo-org/);
  });

  it("reads aws iam get-role output and the URL-encoded document the API returns", () => {
    const document = policy({
      StringEquals: { [AUD]: "sts.amazonaws.com" },
      StringLike: { [SUB]: "repo:octo-org/*" },
    });
    const fromCli = codes({ Role: { RoleName: "release", AssumeRolePolicyDocument: document } });
    const fromApi = codes(encodeURIComponent(JSON.stringify(document)));
    expect(fromCli).toContain("error:wildcard-repository");
    expect(fromApi).toEqual(fromCli);
  });

  it("refuses a document that is not a policy", () => {
    const linted = lintTrustPolicy({ hello: "world" });
    expect(!linted.ok && linted.error[0]).toMatchObject({ field: "Statement", message: /not an IAM policy/ });
  });

  it("respects a Deny statement when checking that expected refs are admitted", () => {
    const document = policy(good);
    const withDeny = {
      ...document,
      Statement: [
        ...document.Statement,
        {
          Effect: "Deny",
          Principal: { Federated: PROVIDER },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: good,
        },
      ],
    };
    expect(codes(withDeny)).toEqual(["error:not-admitted"]);
  });
});
