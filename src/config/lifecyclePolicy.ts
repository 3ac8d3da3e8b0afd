import { matchesWildcard } from "../core/wildcard.ts";
import { BUILD_TAG_PREFIX } from "../tags/buildTag.ts";
import { sanitizeTag } from "../tags/sanitizeTag.ts";
import type { PortcullisConfig } from "./PortcullisConfig.ts";

/** One ECR lifecycle rule, https://docs.aws.amazon.com/AmazonECR/latest/userguide/lifecycle_policy_parameters.html */
export interface LifecycleRule {
  readonly rulePriority: number;
  readonly description: string;
  readonly selection:
    | {
        readonly tagStatus: "tagged";
        readonly tagPatternList: readonly string[];
        readonly countType: "imageCountMoreThan";
        readonly countNumber: number;
      }
    | {
        readonly tagStatus: "untagged";
        readonly countType: "sinceImagePushed";
        readonly countUnit: "days";
        readonly countNumber: number;
      };
  readonly action: { readonly type: "expire" };
}

/** An ECR lifecycle policy document (`PutLifecyclePolicy`'s `lifecyclePolicyText`, parsed). */
export interface LifecyclePolicy {
  readonly rules: readonly LifecycleRule[];
}

/** The parts of the configuration the lifecycle depends on. */
export type LifecycleInput = Pick<PortcullisConfig, "github" | "tags" | "registry">;

/** Larger than any plausible number of images under one promotion pattern: "never" in ECR's terms. */
const NEVER = 9999;
const SAMPLE_BUILD_TAG = `${BUILD_TAG_PREFIX}${"0123456789abcdef".repeat(2)}01234567`;
const ECR_PATTERN = /^[A-Za-z0-9._*-]{1,128}$/;

/**
 * The lifecycle of an image repository. First, one rule per promotion tag pattern that matches promoted
 * images and never expires them: ECR never lets a lower-priority rule expire an image a higher one
 * selected. Then untagged manifests expire after `untaggedExpiryDays` (the platform children of a live
 * index are untagged but safe: ECR refuses to delete an image an index references). Last, build images
 * (`sha-*`) beyond the newest `keepBuildImages` expire.
 * @example lifecyclePolicy(config).rules.map((rule) => rule.description)
 */
export function lifecyclePolicy(config: LifecycleInput): LifecyclePolicy {
  const protectedPatterns = promotedTagPatterns(config);
  const keep = protectedPatterns.map(
    (pattern, index): LifecycleRule => ({
      rulePriority: index + 1,
      description: `Never expire promoted images tagged ${pattern}`,
      selection: {
        tagStatus: "tagged",
        tagPatternList: [pattern],
        countType: "imageCountMoreThan",
        countNumber: NEVER,
      },
      action: { type: "expire" },
    }),
  );
  const next = keep.length + 1;
  const { untaggedExpiryDays, keepBuildImages } = config.registry;
  return {
    rules: [
      ...keep,
      {
        rulePriority: next,
        description: `Expire untagged manifests after ${untaggedExpiryDays} days`,
        selection: {
          tagStatus: "untagged",
          countType: "sinceImagePushed",
          countUnit: "days",
          countNumber: untaggedExpiryDays,
        },
        action: { type: "expire" },
      },
      {
        rulePriority: next + 1,
        description: `Expire build images (${BUILD_TAG_PREFIX}*) beyond the newest ${keepBuildImages}`,
        selection: {
          tagStatus: "tagged",
          tagPatternList: [`${BUILD_TAG_PREFIX}*`],
          countType: "imageCountMoreThan",
          countNumber: keepBuildImages,
        },
        action: { type: "expire" },
      },
    ],
  };
}

/**
 * Patterns matching every tag a promotion can produce: release branch tags, `latest`, versions (`*.*`
 * covers `1.2.3` and `1.2`; an image tagged `1` always also carries its `1.2.3`), and the configured git
 * tag patterns (non-version tags are promoted under their own name). Never a pattern that a build tag matches.
 */
export function promotedTagPatterns(config: LifecycleInput): string[] {
  const patterns = config.github.branches.flatMap((branch) => {
    const tag = sanitizeTag(branch);
    return tag.ok ? [tag.value] : [];
  });
  if (config.tags.latest !== "none") patterns.push("latest");
  if (config.github.tagPatterns.length > 0)
    patterns.push("*.*", ...config.github.tagPatterns.map(asTagPattern));
  return [...new Set(patterns)].filter(
    (pattern) =>
      ECR_PATTERN.test(pattern) && !matchesWildcard(pattern, SAMPLE_BUILD_TAG, { question: false }),
  );
}

/** A git tag name pattern as the pattern of the image tags it yields (sanitizeTag turns `/` into `-`). */
function asTagPattern(pattern: string): string {
  return pattern.replace(/[^A-Za-z0-9._*-]/g, "-").replace(/-{2,}/g, "-");
}

/** The lifecycle of a build cache repository: cache tags move, the manifests they leave behind expire. */
export function cacheLifecyclePolicy(config: Pick<PortcullisConfig, "registry">): LifecyclePolicy {
  const days = config.registry.untaggedExpiryDays;
  return {
    rules: [
      {
        rulePriority: 1,
        description: `Expire superseded cache manifests after ${days} days`,
        selection: {
          tagStatus: "untagged",
          countType: "sinceImagePushed",
          countUnit: "days",
          countNumber: days,
        },
        action: { type: "expire" },
      },
    ],
  };
}
