import { fail, ok, type Result } from "../core/result.ts";
import { parseTagName } from "../core/tagName.ts";
import { buildTag } from "./buildTag.ts";
import { type GitRef, parseRef } from "./parseRef.ts";
import { parseSemver } from "./parseSemver.ts";
import { sanitizeTag } from "./sanitizeTag.ts";
import { defaultTagRules, LATEST_POLICIES, type TagRules } from "./TagRules.ts";
import { versionTags } from "./versionTags.ts";

/** What a build's tags are computed from. */
export interface PromotionTagsInput {
  /** The full git ref: `refs/heads/<branch>` or `refs/tags/<tag>`. */
  readonly ref: string;
  /** The full 40-character lowercase commit id. */
  readonly commit: string;
  /** Overrides of {@link defaultTagRules}. */
  readonly rules?: Partial<TagRules>;
  /** Tags already in the repository, so floating version tags and `latest` never move backwards. */
  readonly existingTags?: readonly string[];
}

/** A build's tags: the immutable build tag and the movable tags a passing scan promotes. */
export interface PromotionTags {
  readonly build: string;
  readonly promotion: string[];
  readonly refKind: GitRef["kind"];
  readonly refName: string;
}

/**
 * Computes the build tag and promotion tags of a commit pushed to a ref. Branches get their sanitized
 * name (the default branch also `latest`); version tags `v1.2.3` get `1.2.3`, `1.2`, `1` and `latest`
 * (prereleases only their exact version); other tags get their sanitized name. Every tag returned
 * satisfies the OCI tag grammar; hostile names are sanitized or refused, never passed on raw.
 * @example
 * promotionTags({ ref: "refs/tags/v1.2.3", commit })
 * // => ok({ build: "sha-…", promotion: ["1.2.3", "1.2", "1", "latest"], refKind: "tag", refName: "v1.2.3" })
 */
export function promotionTags(input: PromotionTagsInput): Result<PromotionTags> {
  const rules: TagRules = { ...defaultTagRules, ...input.rules };
  if (!LATEST_POLICIES.includes(rules.latest)) {
    return fail([
      { field: "rules.latest", value: rules.latest, message: `must be one of ${LATEST_POLICIES.join(", ")}` },
    ]);
  }
  const build = buildTag(input.commit);
  if (!build.ok) return build;
  const ref = parseRef(input.ref);
  if (!ref.ok) return ref;
  const promotion = refTags(ref.value, rules, input.existingTags);
  if (!promotion.ok) return fail(promotion.error.map((issue) => ({ ...issue, value: input.ref })));
  const checked = checkAll(promotion.value);
  if (!checked.ok) return checked;
  return ok({
    build: build.value,
    promotion: checked.value,
    refKind: ref.value.kind,
    refName: ref.value.name,
  });
}

function refTags(ref: GitRef, rules: TagRules, existingTags?: readonly string[]): Result<string[]> {
  if (ref.kind === "tag") {
    const version = parseSemver(ref.name);
    if (version !== undefined) return versionTags(version, { rules, existingTags });
    const named = sanitizeTag(ref.name);
    return named.ok ? ok([named.value]) : named;
  }
  const named = sanitizeTag(ref.name);
  if (!named.ok) return named;
  const isDefault = ref.name === rules.defaultBranch;
  const latest = isDefault && (rules.latest === "default-branch" || rules.latest === "both");
  return ok(latest ? [named.value, "latest"] : [named.value]);
}

/** Defence in depth: nothing leaves this module that the OCI grammar refuses. */
function checkAll(tags: readonly string[]): Result<string[]> {
  const unique = [...new Set(tags)];
  for (const tag of unique) {
    const parsed = parseTagName(tag, "promotion");
    if (!parsed.ok) return fail(parsed.error);
  }
  return ok(unique);
}
