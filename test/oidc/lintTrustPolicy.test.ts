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

type Row = [string, unknown, readonly string[], TrustExpectations?];

/** A policy admitting main (as expected) and `sub` beside it, under StringLike. */
function withMain(sub: string) {
  return policy({
    StringEquals: { [AUD]: "sts.amazonaws.com" },
    StringLike: { [SUB]: ["repo:octo-org/shop:ref:refs/heads/main", sub] },
  });
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

  const rows: Row[] = [
    [
      "the article's repo:org/repo:* under StringLike",
      policy({ StringEquals: { [AUD]: "sts.amazonaws.com" }, StringLike: { [SUB]: "repo:octo-org/shop:*" } }),
      ["error:subject-pattern", "error:admits-pull-requests", "warning:any-branch"],
    ],
    [
      "repo:org/* (every repository, forks' pull requests)",
      policy({ StringEquals: { [AUD]: "sts.amazonaws.com" }, StringLike: { [SUB]: "repo:octo-org/*" } }),
      [
        "error:repository-pattern",
        "error:admits-pull-requests",
        "error:wildcard-repository",
        "warning:any-branch",
      ],
    ],
    [
      "a sub of * (anyone on GitHub)",
      policy({ StringEquals: { [AUD]: "sts.amazonaws.com" }, StringLike: { [SUB]: "*" } }),
      [
        "error:repository-pattern",
        "error:admits-pull-requests",
        "error:any-repository",
        "warning:any-branch",
      ],
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
      ["error:other-principal", "error:no-github-statement", "error:not-admitted"],
    ],
    // A wildcard anywhere in OWNER/REPO lets a stranger in, with or without expectations.
    ...(
      [
        ["any account's repository named shop", "repo:*/shop", "error:other-owner"],
        ["an owner prefix (octo-org-attacker)", "repo:octo-org*/shop", "error:other-owner"],
        ["an owner with a one-letter wildcard", "repo:octo-or?/shop", "error:other-owner"],
        ["an owner suffix (attacker-octo-org)", "repo:*octo-org/shop", "error:other-owner"],
        ["a repository prefix (shop-attacker)", "repo:octo-org/shop*", "error:wildcard-repository"],
        ["a repository suffix (attacker-shop)", "repo:octo-org/*shop", "error:wildcard-repository"],
      ] as const
    ).flatMap(([title, repository, probe]): Row[] => [
      [`${title}`, withMain(`${repository}:ref:refs/heads/main`), ["error:repository-pattern", probe]],
      [
        `${title}, without expectations`,
        withMain(`${repository}:ref:refs/heads/main`),
        ["error:repository-pattern", probe],
        {},
      ],
    ]),
    // Subjects beyond the expected ones (--repo octo-org/shop --branch main).
    ["an extra exact branch", withMain("repo:octo-org/shop:ref:refs/heads/dev"), ["warning:extra-ref"]],
    ["an extra exact tag", withMain("repo:octo-org/shop:ref:refs/tags/v1.0.0"), ["warning:extra-ref"]],
    [
      "two extra branches, each reported",
      policy({
        StringEquals: {
          [AUD]: "sts.amazonaws.com",
          [SUB]: [
            "repo:octo-org/shop:ref:refs/heads/main",
            "repo:octo-org/shop:ref:refs/heads/dev",
            "repo:octo-org/shop:ref:refs/heads/qa",
          ],
        },
      }),
      ["warning:extra-ref", "warning:extra-ref"],
    ],
    [
      "a branch pattern (main-attacker)",
      withMain("repo:octo-org/shop:ref:refs/heads/main*"),
      ["error:subject-pattern"],
    ],
    ["every tag", withMain("repo:octo-org/shop:ref:refs/tags/*"), ["error:subject-pattern"]],
    ["every environment", withMain("repo:octo-org/shop:environment:*"), ["error:subject-pattern"]],
    [
      "an environment that was not given",
      withMain("repo:octo-org/shop:environment:prod"),
      ["error:extra-environment"],
    ],
    ["every ref", withMain("repo:octo-org/shop:ref:*"), ["error:subject-pattern", "warning:any-branch"]],
    [
      "a tag pattern broader than the expected one",
      withMain("repo:octo-org/shop:ref:refs/tags/*"),
      ["error:subject-pattern"],
      { ...expected, tagPatterns: ["v*"] },
    ],
    [
      "a branch pattern, without expectations",
      withMain("repo:octo-org/shop:ref:refs/heads/main*"),
      ["error:subject-pattern"],
      {},
    ],
    [
      "every environment, without expectations",
      withMain("repo:octo-org/shop:environment:*"),
      ["error:subject-pattern"],
      {},
    ],
    [
      "a second statement trusting another provider with no conditions",
      {
        Version: "2012-10-17",
        Statement: [
          policy(good).Statement[0],
          {
            Effect: "Allow",
            Principal: { Federated: "arn:aws:iam::123456789012:oidc-provider/gitlab.com" },
            Action: "sts:AssumeRoleWithWebIdentity",
          },
        ],
      },
      ["error:other-principal"],
    ],
    [
      "a second statement trusting another account",
      {
        Version: "2012-10-17",
        Statement: [
          policy(good).Statement[0],
          { Effect: "Allow", Principal: { AWS: "arn:aws:iam::999999999999:root" }, Action: "sts:AssumeRole" },
        ],
      },
      ["error:other-principal"],
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

  it.each([
    ["repo:*/shop", "repo:portcullis-probe/shop:ref:refs/heads/main"],
    ["repo:octo-org*/shop", "repo:octo-org-portcullis-probe/shop:ref:refs/heads/main"],
    ["repo:*-org/shop", "repo:portcullis-probe-octo-org/shop:ref:refs/heads/main"],
    ["repo:octo-or?/shop", "repo:octo-orx/shop:ref:refs/heads/main"],
    ["repo:octo-org/shop?", "repo:octo-org/shop1:ref:refs/heads/main"],
    ["repo:octo-org/sh*", "repo:octo-org/shop-portcullis-probe:ref:refs/heads/main"],
    ["repo:octo-org/*op", "repo:octo-org/portcullis-probe-shop:ref:refs/heads/main"],
  ])(
    "probes %s with strangers whose names vary the expected ones, and names the one admitted",
    (repo, stranger) => {
      const linted = lintTrustPolicy(withMain(`${repo}:ref:refs/heads/main`), expected);
      const probe = linted.ok ? linted.value.find((f) => f.code !== "repository-pattern") : undefined;
      expect(probe?.value).toBe(stranger);
    },
  );

  it("admits the generated policy's exact tags and narrower tag patterns as expected", () => {
    const document = policy({
      StringEquals: { [AUD]: "sts.amazonaws.com" },
      StringLike: {
        [SUB]: [
          "repo:octo-org/shop:ref:refs/heads/main",
          "repo:octo-org/shop:ref:refs/tags/v1.2.3",
          "repo:octo-org/shop:ref:refs/tags/v1.*",
          "repo:octo-org/shop:ref:refs/tags/v2.*",
        ],
      },
    });
    expect(codes(document, { ...expected, tagPatterns: ["v*"] })).toEqual([]);
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
