import { describe, expect, it } from "vitest";
import type { PortcullisConfigInput } from "../../src/config/PortcullisConfig.ts";
import { parseConfig } from "../../src/config/parseConfig.ts";
import { formatIssues } from "../../src/core/formatIssue.ts";

const minimal = {
  primaryRegion: "eu-west-1",
  repositories: [{ name: "shop/web" }],
  github: { owner: "octo-org", repo: "shop" },
} satisfies PortcullisConfigInput;

// biome-ignore lint/suspicious/noExplicitAny: each row reaches into a different nested field of a draft.
type Draft = Record<string, any>;

/** `minimal` with a deep change applied. */
function variant(change: (config: Draft) => void): unknown {
  const config = structuredClone(minimal) as Draft;
  change(config);
  return config;
}

describe("parseConfig", () => {
  it("applies every default to a minimal configuration", () => {
    const parsed = parseConfig(minimal);
    if (!parsed.ok) throw new Error(formatIssues(parsed.error));
    expect(parsed.value).toMatchObject({
      replicaRegions: [],
      repositories: [
        {
          name: "shop/web",
          context: ".",
          dockerfile: "Dockerfile",
          platforms: ["linux/amd64", "linux/arm64"],
        },
      ],
      github: { branches: ["main"], tagPatterns: [], environments: [] },
      scanning: "basic",
      policyFile: "portcullis.policy.yaml",
      tags: { defaultBranch: "main", latest: "both", floatingTags: true, majorZeroTag: false },
      registry: { tagMutability: "immutable-with-exclusion", untaggedExpiryDays: 14, keepBuildImages: 100 },
      build: { timeoutMinutes: 60, logRetentionDays: 30 },
    });
  });

  it("takes the default branch from the first release branch", () => {
    const parsed = parseConfig(variant((c) => (c.github.branches = ["trunk", "release"])));
    expect(parsed.ok && parsed.value.tags.defaultBranch).toBe("trunk");
  });

  it("accepts the repository's own example configuration", async () => {
    const { default: example } = await import("../../portcullis.config.ts");
    const parsed = parseConfig(example);
    expect(parsed.ok ? "ok" : formatIssues(parsed.error)).toBe("ok");
  });

  // Each row: a change, then the field and (part of) the message the refusal must carry.
  const refusals: [string, (config: Draft) => void, string, unknown, RegExp][] = [
    ["a missing primary region", (c) => delete c.primaryRegion, "primaryRegion", undefined, /is required/],
    ["a misspelt region", (c) => (c.primaryRegion = "us-east1"), "primaryRegion", "us-east1", /AWS region/],
    [
      "a replica equal to the primary",
      (c) => (c.replicaRegions = ["eu-west-1"]),
      "replicaRegions[0]",
      "eu-west-1",
      /must differ from primaryRegion/,
    ],
    [
      "a replica listed twice",
      (c) => (c.replicaRegions = ["us-east-1", "us-east-1"]),
      "replicaRegions[1]",
      "us-east-1",
      /twice/,
    ],
    [
      "an uppercase repository name",
      (c) => (c.repositories[0].name = "Shop/Web"),
      "repositories[0].name",
      "Shop/Web",
      /lowercase/,
    ],
    [
      "a repository listed twice",
      (c) => c.repositories.push({ name: "shop/web" }),
      "repositories[1].name",
      "shop/web",
      /twice/,
    ],
    ["no repository", (c) => (c.repositories = []), "repositories", [], /at least 1/],
    [
      "an unknown platform",
      (c) => (c.repositories[0].platforms = ["linux/386"]),
      "repositories[0].platforms[0]",
      "linux/386",
      /linux\/amd64/,
    ],
    [
      "a platform twice",
      (c) => (c.repositories[0].platforms = ["linux/arm64", "linux/arm64"]),
      "repositories[0].platforms",
      ["linux/arm64", "linux/arm64"],
      /twice/,
    ],
    [
      "a context escaping the repository",
      (c) => (c.repositories[0].context = "../other"),
      "repositories[0].context",
      "../other",
      /inside the git repository/,
    ],
    [
      "an absolute Dockerfile path",
      (c) => (c.repositories[0].dockerfile = "/etc/passwd"),
      "repositories[0].dockerfile",
      "/etc/passwd",
      /relative/,
    ],
    [
      "a misspelt key",
      (c) => (c.replicaRegion = ["us-east-1"]),
      "replicaRegion",
      ["us-east-1"],
      /not a known field/,
    ],
    [
      "a GitHub owner with a slash",
      (c) => (c.github.owner = "octo/org"),
      "github.owner",
      "octo/org",
      /GitHub user or organization/,
    ],
    ["a repo named .git", (c) => (c.github.repo = "shop.git"), "github.repo", "shop.git", /\.git/],
    [
      "a wildcard branch",
      (c) => (c.github.branches = ["release/*"]),
      "github.branches[0]",
      "release/*",
      /StringEquals/,
    ],
    [
      "a full ref as branch",
      (c) => (c.github.branches = ["refs/heads/main"]),
      "github.branches[0]",
      "refs/heads/main",
      /without refs/,
    ],
    [
      "a branch with '..'",
      (c) => (c.github.branches = ["a..b"]),
      "github.branches[0]",
      "a..b",
      /valid git branch/,
    ],
    [
      "a branch that would move latest",
      (c) => (c.github.branches = ["latest"]),
      "github.branches[0]",
      "latest",
      /reserved tag/,
    ],
    [
      "nothing allowed to release",
      (c) => (c.github.branches = []),
      "github.branches",
      [],
      /nothing could ever assume/,
    ],
    [
      "a tag pattern with a space",
      (c) => (c.github.tagPatterns = ["v 1*"]),
      "github.tagPatterns[0]",
      "v 1*",
      /valid git tag/,
    ],
    [
      "an environment with a colon",
      (c) => (c.github.environments = ["prod:eu"]),
      "github.environments[0]",
      "prod:eu",
      /environment name/,
    ],
    [
      "a foreign OIDC provider",
      (c) => (c.github.oidcProviderArn = "arn:aws:iam::123456789012:oidc-provider/gitlab.com"),
      "github.oidcProviderArn",
      "arn:aws:iam::123456789012:oidc-provider/gitlab.com",
      /token\.actions/,
    ],
    ["an unknown scanning mode", (c) => (c.scanning = "deep"), "scanning", "deep", /"basic", "enhanced"/],
    [
      "a KMS alias as the secrets' key",
      (c) => (c.secretsKmsKey = "arn:aws:kms:us-east-1:123456789012:alias/secrets"),
      "secretsKmsKey",
      "arn:aws:kms:us-east-1:123456789012:alias/secrets",
      /KMS key ARN .* not an alias/,
    ],
    [
      "a default branch that cannot release",
      (c) => (c.tags = { defaultBranch: "develop" }),
      "tags.defaultBranch",
      "develop",
      /not one of github.branches/,
    ],
    [
      "floating tags under immutable tags",
      (c) => (c.github.tagPatterns = ["v*"]),
      "tags.floatingTags",
      true,
      /mutable-with-exclusion/,
    ],
    [
      "more movable tags than ECR filters",
      (c) => (c.github.branches = ["main", "a", "b", "c", "d"]),
      "github.branches",
      ["main", "a", "b", "c", "d"],
      /6 movable tags .* allows 5/,
    ],
    [
      "a zero-day untagged expiry",
      (c) => (c.registry = { untaggedExpiryDays: 0 }),
      "registry.untaggedExpiryDays",
      0,
      /at least 1/,
    ],
    [
      "a fractional count",
      (c) => (c.registry = { keepBuildImages: 2.5 }),
      "registry.keepBuildImages",
      2.5,
      /whole number|int/,
    ],
    [
      "an unsupported log retention",
      (c) => (c.build = { logRetentionDays: 2 }),
      "build.logRetentionDays",
      2,
      /retention periods: 1, 3, 5/,
    ],
    [
      "a report without its secret",
      (c) => (c.report = { kind: "check-run" }),
      "report.githubAppSecret",
      undefined,
      /is required/,
    ],
    [
      "an unknown report kind",
      (c) => (c.report = { kind: "email" }),
      "report.kind",
      { kind: "email" },
      /check-run/,
    ],
  ];

  it.each(refusals)("refuses %s, naming the field and value", (_title, change, field, value, message) => {
    const parsed = parseConfig(variant(change));
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    const issue = parsed.error.find((candidate) => candidate.field === field);
    expect(issue, formatIssues(parsed.error)).toBeDefined();
    expect(issue?.value).toEqual(value);
    expect(issue?.message).toMatch(message);
  });

  it("never echoes a secret value put where a secret name belongs", () => {
    const webhook = "https://hooks.slack.com/services/T000/B000/XXXXXXXX";
    const parsed = parseConfig(variant((c) => (c.slack = { webhookSecret: webhook })));
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    const text = formatIssues(parsed.error);
    expect(text).toContain("slack.webhookSecret");
    expect(text).toMatch(/looks like a secret value/);
    expect(text).not.toContain("hooks.slack.com");
  });

  it("refuses a GitHub token in place of the status token secret name", () => {
    const parsed = parseConfig(
      variant((c) => (c.report = { kind: "commit-status", statusTokenSecret: `ghp_${"a".repeat(36)}` })),
    );
    expect(!parsed.ok && formatIssues(parsed.error)).toMatch(
      /report\.statusTokenSecret: "\(redacted\)" looks like/,
    );
  });

  it("accepts floating tags once only build tags are frozen", () => {
    const parsed = parseConfig(
      variant((c) => {
        c.github.tagPatterns = ["v*"];
        c.registry = { tagMutability: "mutable-with-exclusion" };
      }),
    );
    expect(parsed.ok).toBe(true);
  });

  it("reports every problem at once, not the first only", () => {
    const parsed = parseConfig(
      variant((c) => {
        c.primaryRegion = "mars-1";
        c.repositories[0].name = "UPPER";
        c.scanning = "deep";
      }),
    );
    expect(!parsed.ok && parsed.error.map((issue) => issue.field).sort()).toEqual([
      "primaryRegion",
      "repositories[0].name",
      "scanning",
    ]);
  });
});
