import { beforeAll, describe, expect, it } from "vitest";
import example from "../../portcullis.config.ts";
import type { PortcullisConfig } from "../../src/config/PortcullisConfig.ts";
import { parseConfig } from "../../src/config/parseConfig.ts";
import { formatIssues } from "../../src/core/formatIssue.ts";
import { promotionTags } from "../../src/tags/promotionTags.ts";
import { type CfnProps, type CfnTemplate, synthPortcullis } from "./synthPortcullis.ts";

const COMMITS = ["1".repeat(40), "2".repeat(40)] as const;

/**
 * Whether ECR lets a PutImage move `tag` to another digest, under a repository's settings as synthesized
 * (ECR API Reference, ImageTagMutabilityExclusionFilter: WILDCARD filters, `*` matches any characters;
 * IMMUTABLE_WITH_EXCLUSION leaves the matching tags mutable, MUTABLE_WITH_EXCLUSION freezes them).
 */
function movable(repository: CfnProps, tag: string): boolean {
  const filters = (repository.ImageTagMutabilityExclusionFilters ?? []) as {
    ImageTagMutabilityExclusionFilterValue: string;
  }[];
  const matches = filters.some(({ ImageTagMutabilityExclusionFilterValue: value }) =>
    new RegExp(`^${value.split("*").map(escapeRegExp).join(".*")}$`).test(tag),
  );
  switch (repository.ImageTagMutability) {
    case "MUTABLE":
      return true;
    case "IMMUTABLE":
      return false;
    case "IMMUTABLE_WITH_EXCLUSION":
      return matches;
    case "MUTABLE_WITH_EXCLUSION":
      return !matches;
  }
  throw new Error(`unknown ImageTagMutability ${repository.ImageTagMutability}`);
}

const escapeRegExp = (text: string) => text.replace(/[.+?^${}()|[\]\\]/g, "\\$&");

/** The promotion tags a ref gives a commit, under the configuration's tag rules. */
function tagsOf(
  config: PortcullisConfig,
  ref: string,
  commit: string,
  existingTags: string[] = [],
): string[] {
  const tags = promotionTags({ ref, commit, rules: config.tags, existingTags });
  if (!tags.ok) throw new Error(formatIssues(tags.error));
  return tags.value.promotion;
}

/** Tags the second of two successive releases moves: promoted by both, to different digests. */
function movedTags(config: PortcullisConfig): string[] {
  const pushes: [string, string][] = [
    ["refs/tags/v1.2.3", "refs/tags/v1.2.4"],
    ["refs/heads/main", "refs/heads/main"],
  ];
  return pushes.flatMap(([first, second]) => {
    const before = tagsOf(config, first, COMMITS[0]);
    return tagsOf(config, second, COMMITS[1], before).filter((tag) => before.includes(tag));
  });
}

function configWith(overrides: Partial<typeof example>): PortcullisConfig {
  const parsed = parseConfig({ ...example, ...overrides });
  if (!parsed.ok) throw new Error(formatIssues(parsed.error));
  return parsed.value;
}

async function repositoriesOf(config: PortcullisConfig, region: string): Promise<CfnProps[]> {
  const registry = (await synthPortcullis(config, region)).json.get("Registry") as CfnTemplate;
  return Object.values(registry.Resources)
    .filter((r) => r.Type === "AWS::ECR::Repository")
    .map((r) => r.Properties as CfnProps)
    .filter((p) => !String(p.RepositoryName).startsWith("portcullis-cache/"));
}

describe("promotion tags against the synthesized repositories' tag mutability", () => {
  const example_ = configWith({});
  const floating = configWith({
    tags: { ...example.tags, floatingTags: true },
    registry: { ...example.registry, tagMutability: "mutable-with-exclusion" },
  });
  const cases = [
    ["the example (default immutable-with-exclusion, no floating tags)", example_, ["latest", "main"]],
    ["floating tags with mutable-with-exclusion", floating, ["1.2", "1", "latest", "main"]],
  ] as const;
  // A replica region synthesizes the Registry stack alone, from the same stacks/Registry.ts as the primary
  // (whose filters test/stacks/primary.test.ts pins), without bundling the Pipeline's functions.
  const repositories = new Map<string, CfnProps[]>();
  beforeAll(async () => {
    for (const [name, config] of cases)
      repositories.set(name, await repositoriesOf(config, config.replicaRegions[0] ?? config.primaryRegion));
  });

  it.each(cases)("%s: every tag a release moves stays movable", (name, config, moved) => {
    expect(movedTags(config).sort()).toEqual([...moved].sort());
    const repos = repositories.get(name) ?? [];
    expect(repos.length).toBeGreaterThan(0);
    for (const repository of repos) for (const tag of moved) expect(movable(repository, tag), tag).toBe(true);
  });

  it.each(cases)("%s: build tags (sha-…) stay frozen", (name) => {
    for (const repository of repositories.get(name) ?? [])
      expect(movable(repository, `sha-${COMMITS[0]}`)).toBe(false);
  });

  it("the example freezes exact versions, which never move", () => {
    for (const repository of repositories.get(cases[0][0]) ?? [])
      expect(movable(repository, "1.2.3")).toBe(false);
  });

  it("refuses floating tags under the default mode, naming the field and the way out", () => {
    const parsed = parseConfig({ ...example, tags: { ...example.tags, floatingTags: true } });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(formatIssues(parsed.error)).toMatch(/tags\.floatingTags.*mutable-with-exclusion/s);
  });
});
