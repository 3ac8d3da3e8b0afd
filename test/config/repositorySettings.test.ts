import { describe, expect, it } from "vitest";
import {
  cacheLifecyclePolicy,
  lifecyclePolicy,
  promotedTagPatterns,
} from "../../src/config/lifecyclePolicy.ts";
import type { PortcullisConfig, PortcullisConfigInput } from "../../src/config/PortcullisConfig.ts";
import { parseConfig } from "../../src/config/parseConfig.ts";
import { repositorySettings } from "../../src/config/repositorySettings.ts";
import { tagMutability } from "../../src/config/tagMutability.ts";
import { formatIssues } from "../../src/core/formatIssue.ts";
import { matchesWildcard } from "../../src/core/wildcard.ts";
import { promotionTags } from "../../src/tags/promotionTags.ts";

const COMMIT = "0123456789abcdef0123456789abcdef01234567";

function config(overrides: Partial<PortcullisConfigInput> = {}): PortcullisConfig {
  const parsed = parseConfig({
    primaryRegion: "us-east-1",
    repositories: [{ name: "shop/web" }],
    github: { owner: "octo-org", repo: "shop", branches: ["main", "release/2.x"], tagPatterns: ["v*"] },
    tags: { floatingTags: false },
    ...overrides,
  });
  if (!parsed.ok) throw new Error(formatIssues(parsed.error));
  return parsed.value;
}

/** Every tag promotion can move onto an image under this configuration, for refs it may release. */
function reachableTags(c: PortcullisConfig): string[] {
  const refs = [
    ...c.github.branches.map((branch) => `refs/heads/${branch}`),
    "refs/tags/v1.2.3",
    "refs/tags/v2.0.0-rc.1",
  ];
  return refs.flatMap((ref) => {
    const tags = promotionTags({ ref, commit: COMMIT, rules: c.tags });
    return tags.ok ? tags.value.promotion : [];
  });
}

describe("tag mutability", () => {
  it("freezes every tag but the release branches' and latest", () => {
    const decided = tagMutability(config());
    expect(decided).toEqual({
      ok: true,
      value: { imageTagMutability: "IMMUTABLE_WITH_EXCLUSION", filters: ["main", "release-2.x", "latest"] },
    });
  });

  it("leaves every tag that moves between digests movable, and no build tag", () => {
    const c = config({ tags: { floatingTags: false, latest: "both" } });
    const decided = tagMutability(c);
    if (!decided.ok) throw new Error(formatIssues(decided.error));
    const movable = (tag: string) =>
      decided.value.filters.some((f) => matchesWildcard(f, tag, { question: false }));
    for (const tag of ["main", "release-2.x", "latest"]) expect(movable(tag), tag).toBe(true);
    expect(movable(`sha-${COMMIT}`)).toBe(false);
    expect(movable("1.2.3")).toBe(false);
  });

  it("freezes every tag when no promotion tag ever moves (environments only, no latest)", () => {
    const c = config({
      github: { owner: "o", repo: "r", branches: [], environments: ["prod"] },
      tags: { latest: "none" },
    });
    expect(tagMutability(c)).toEqual({ ok: true, value: { imageTagMutability: "IMMUTABLE", filters: [] } });
  });

  it("freezes only sha-* in mutable-with-exclusion mode", () => {
    const c = config({ registry: { tagMutability: "mutable-with-exclusion" }, tags: {} });
    expect(tagMutability(c)).toEqual({
      ok: true,
      value: { imageTagMutability: "MUTABLE_WITH_EXCLUSION", filters: ["sha-*"] },
    });
  });
});

describe("lifecycle policy", () => {
  it("protects each promotion pattern first, then expires untagged, then old build images", () => {
    const policy = lifecyclePolicy(config({ registry: { untaggedExpiryDays: 7, keepBuildImages: 30 } }));
    expect(policy.rules.map((rule) => [rule.rulePriority, rule.selection])).toEqual([
      [
        1,
        { tagStatus: "tagged", tagPatternList: ["main"], countType: "imageCountMoreThan", countNumber: 9999 },
      ],
      [
        2,
        {
          tagStatus: "tagged",
          tagPatternList: ["release-2.x"],
          countType: "imageCountMoreThan",
          countNumber: 9999,
        },
      ],
      [
        3,
        {
          tagStatus: "tagged",
          tagPatternList: ["latest"],
          countType: "imageCountMoreThan",
          countNumber: 9999,
        },
      ],
      [
        4,
        { tagStatus: "tagged", tagPatternList: ["*.*"], countType: "imageCountMoreThan", countNumber: 9999 },
      ],
      [
        5,
        { tagStatus: "tagged", tagPatternList: ["v*"], countType: "imageCountMoreThan", countNumber: 9999 },
      ],
      [6, { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 7 }],
      [
        7,
        { tagStatus: "tagged", tagPatternList: ["sha-*"], countType: "imageCountMoreThan", countNumber: 30 },
      ],
    ]);
    expect(policy.rules.every((rule) => rule.action.type === "expire")).toBe(true);
  });

  it("protects every tag a promotion can produce, including floating versions", () => {
    const c = config({ registry: { tagMutability: "mutable-with-exclusion" }, tags: { latest: "both" } });
    const patterns = promotedTagPatterns(c);
    const tags = reachableTags(c);
    expect(tags).toEqual(
      expect.arrayContaining(["main", "release-2.x", "latest", "1.2.3", "1.2", "2.0.0-rc.1"]),
    );
    for (const tag of tags.filter((t) => t !== "1")) {
      expect(
        patterns.some((p) => matchesWildcard(p, tag, { question: false })),
        tag,
      ).toBe(true);
    }
  });

  it("never protects build tags, even when a tag pattern would match them", () => {
    const c = config({ github: { owner: "o", repo: "r", branches: ["main"], tagPatterns: ["*", "s*"] } });
    expect(promotedTagPatterns(c)).toEqual(["main", "latest", "*.*"]);
  });

  it("turns tag patterns with slashes into the image tag pattern they yield", () => {
    const c = config({ github: { owner: "o", repo: "r", branches: ["main"], tagPatterns: ["release/*"] } });
    expect(promotedTagPatterns(c)).toContain("release-*");
  });

  it("writes JSON that ECR's lifecycle grammar accepts: unique priorities, untagged without patterns", () => {
    const rules = lifecyclePolicy(config()).rules;
    expect(new Set(rules.map((rule) => rule.rulePriority)).size).toBe(rules.length);
    for (const rule of rules) {
      if (rule.selection.tagStatus === "untagged")
        expect(rule.selection).not.toHaveProperty("tagPatternList");
      else for (const p of rule.selection.tagPatternList) expect(p).toMatch(/^[A-Za-z0-9._*-]{1,128}$/);
    }
  });

  it("expires superseded cache manifests in the cache repository", () => {
    expect(cacheLifecyclePolicy(config()).rules).toHaveLength(1);
  });
});

describe("repository settings", () => {
  it("scans on push with basic scanning and leaves it to the registry with enhanced", () => {
    const basic = repositorySettings(config());
    const enhanced = repositorySettings(config({ scanning: "enhanced" }));
    expect(basic.ok && basic.value.scanOnPush).toBe(true);
    expect(enhanced.ok && enhanced.value.scanOnPush).toBe(false);
    expect(basic.ok && basic.value.encryption).toBe("KMS");
  });
});
