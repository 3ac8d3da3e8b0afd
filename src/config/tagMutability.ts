import { fail, ok, type Result, type ValidationIssue } from "../core/result.ts";
import { BUILD_TAG_PREFIX } from "../tags/buildTag.ts";
import { sanitizeTag } from "../tags/sanitizeTag.ts";
import type { PortcullisConfig } from "./PortcullisConfig.ts";

/** ECR accepts at most five tag mutability exclusion filters per repository (PutImageTagMutability). */
export const MAX_EXCLUSION_FILTERS = 5;

/** How a repository freezes tags, in the shape of ECR's PutImageTagMutability / CreateRepository. */
export interface TagMutabilitySettings {
  readonly imageTagMutability: "IMMUTABLE_WITH_EXCLUSION" | "MUTABLE_WITH_EXCLUSION" | "IMMUTABLE";
  /** Wildcard filters (`*` only): the movable tags, or the frozen ones for MUTABLE_WITH_EXCLUSION; none for IMMUTABLE. */
  readonly filters: readonly string[];
}

/** The parts of the configuration that decide which tags move. */
export type TagMutabilityInput = Pick<PortcullisConfig, "github" | "tags" | "registry">;

/**
 * Decides tag mutability. By default every tag is frozen (`sha-…` build tags above all) except the
 * promotion tags that move between digests: each release branch's tag and `latest`. Floating version tags
 * (`1.2`, `1`) cannot be singled out by ECR's `*`-only filters, so they need `floatingTags: false` or the
 * `mutable-with-exclusion` mode, which freezes only `sha-*`. Refusals name the field to change.
 * @example tagMutability(config) // => ok({ imageTagMutability: "IMMUTABLE_WITH_EXCLUSION", filters: ["main", "latest"] })
 */
export function tagMutability(config: TagMutabilityInput): Result<TagMutabilitySettings> {
  if (config.registry.tagMutability === "mutable-with-exclusion") {
    return ok({ imageTagMutability: "MUTABLE_WITH_EXCLUSION", filters: [`${BUILD_TAG_PREFIX}*`] });
  }
  const filters = movableTags(config);
  const issues: ValidationIssue[] = [];
  if (config.github.tagPatterns.length > 0 && config.tags.floatingTags) issues.push(floatingIssue());
  if (filters.length > MAX_EXCLUSION_FILTERS) issues.push(tooManyIssue(config.github.branches, filters));
  if (issues.length > 0) return fail(issues);
  // ECR wants at least one exclusion filter; with no tag that ever moves, every tag is simply immutable.
  if (filters.length === 0) return ok({ imageTagMutability: "IMMUTABLE", filters: [] });
  return ok({ imageTagMutability: "IMMUTABLE_WITH_EXCLUSION", filters });
}

/** Tags that move from one digest to another: release branch tags and `latest`. */
function movableTags(config: TagMutabilityInput): string[] {
  const tags = config.github.branches.flatMap((branch) => {
    const tag = sanitizeTag(branch);
    return tag.ok ? [tag.value] : [];
  });
  if (config.tags.latest !== "none") tags.push("latest");
  return [...new Set(tags)];
}

function floatingIssue(): ValidationIssue {
  return {
    field: "tags.floatingTags",
    value: true,
    message:
      "moves MAJOR.MINOR and MAJOR tags (1.2, 1) that ECR's '*'-only exclusion filters cannot single out under " +
      'registry.tagMutability "immutable-with-exclusion": set tags.floatingTags to false (exact versions and ' +
      'latest still move), or set registry.tagMutability to "mutable-with-exclusion" (only sha-* frozen)',
  };
}

function tooManyIssue(branches: readonly string[], filters: readonly string[]): ValidationIssue {
  return {
    field: "github.branches",
    value: branches,
    message:
      `gives ${filters.length} movable tags (${filters.join(", ")}) but ECR allows ${MAX_EXCLUSION_FILTERS} ` +
      'exclusion filters: release from fewer branches, or set registry.tagMutability to "mutable-with-exclusion"',
  };
}
