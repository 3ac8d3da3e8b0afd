import { parseDigest } from "../core/digest.ts";
import { isImageManifestMediaType } from "../core/mediaTypes.ts";
import { fail, ok, type Result, type ValidationIssue } from "../core/result.ts";
import { parseTagName } from "../core/tagName.ts";
import { isBuildTag } from "../tags/buildTag.ts";
import type { CandidateKey, CandidateKind, CandidateTags, Child, GitMetadata } from "./Candidate.ts";
import { checkGitField } from "./checkGitField.ts";
import { parseCandidateKey } from "./parseCandidateKey.ts";
import { toInstant } from "./toInstant.ts";

/** What registering a candidate needs (see registerCandidate). */
export interface RegistrationInput {
  readonly key: CandidateKey;
  readonly kind: CandidateKind;
  /** From platformChildren: the platform images (for an image, the image itself). */
  readonly children: readonly Child[];
  readonly git?: GitMetadata;
  /** From promotionTags: the build tag and the tags to promote on a pass. */
  readonly tags: CandidateTags;
  readonly now: Date;
  /** How long to wait for every scan before failing closed (1 minute to 7 days). */
  readonly timeoutMinutes: number;
}

/** The registration, validated and normalised. */
export interface ValidRegistration {
  readonly key: CandidateKey;
  readonly git: GitMetadata;
  readonly registeredAt: string;
  readonly deadline: string;
}

const MAX_TIMEOUT_MINUTES = 7 * 24 * 60;

/**
 * Checks every part of a registration and reports every bad field at once.
 * @example validateRegistration(input) // => ok({ key, git, registeredAt, deadline }) or fail(issues)
 */
export function validateRegistration(input: RegistrationInput): Result<ValidRegistration> {
  const issues: ValidationIssue[] = [];
  const key = parseCandidateKey(input.key);
  if (!key.ok) issues.push(...key.error);
  issues.push(...childIssues(input));
  const git = checkGit(input.git);
  if (!git.ok) issues.push(...git.error);
  issues.push(...tagIssues(input.tags));
  const now = toInstant(input.now, "now");
  if (!now.ok) issues.push(...now.error);
  const minutes = input.timeoutMinutes;
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > MAX_TIMEOUT_MINUTES) {
    issues.push({
      field: "timeoutMinutes",
      value: minutes,
      message: `must be a whole number from 1 to ${MAX_TIMEOUT_MINUTES}`,
    });
  }
  if (issues.length > 0 || !key.ok || !git.ok || !now.ok) return fail(issues);
  const deadline = new Date(Date.parse(now.value) + minutes * 60_000).toISOString();
  return ok({ key: key.value, git: git.value, registeredAt: now.value, deadline });
}

function childIssues({ key, kind, children }: RegistrationInput): ValidationIssue[] {
  if (kind !== "index" && kind !== "image")
    return [{ field: "kind", value: kind, message: "must be index or image" }];
  if (!Array.isArray(children) || children.length === 0) {
    return [{ field: "children", value: children, message: "must list at least one platform image" }];
  }
  if (kind === "image" && (children.length !== 1 || children[0]?.digest !== key?.digest)) {
    return [
      { field: "children", value: children, message: "of a single image must be exactly the image itself" },
    ];
  }
  const seen = new Set<string>();
  return children.flatMap((child, i) =>
    childIssue(child, `children[${i}]`, kind === "index" ? key?.digest : undefined, seen),
  );
}

function childIssue(
  child: Child,
  field: string,
  indexDigest: string | undefined,
  seen: Set<string>,
): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  const digest = parseDigest(child?.digest, `${field}.digest`);
  if (!digest.ok) out.push(...digest.error);
  else if (seen.has(digest.value))
    out.push({ field: `${field}.digest`, value: digest.value, message: "is listed twice" });
  else if (digest.value === indexDigest)
    out.push({ field: `${field}.digest`, value: digest.value, message: "is the index itself" });
  if (digest.ok) seen.add(digest.value);
  if (typeof child?.platform !== "string" || child.platform.length === 0) {
    out.push({ field: `${field}.platform`, value: child?.platform, message: "must name a platform" });
  }
  if (!isImageManifestMediaType(child?.mediaType)) {
    out.push({
      field: `${field}.mediaType`,
      value: child?.mediaType,
      message: "must be an image manifest media type",
    });
  }
  return out;
}

function tagIssues(tags: CandidateTags | undefined): ValidationIssue[] {
  if (tags === undefined || !isBuildTag(tags.build)) {
    return [
      { field: "tags.build", value: tags?.build, message: "must be a build tag, sha-<40 lowercase hex>" },
    ];
  }
  if (!Array.isArray(tags.promotion))
    return [{ field: "tags.promotion", value: tags.promotion, message: "must be an array" }];
  return tags.promotion.flatMap((tag, i) => {
    const parsed = parseTagName(tag, `tags.promotion[${i}]`);
    return parsed.ok ? [] : parsed.error;
  });
}

function checkGit(git: GitMetadata | undefined): Result<GitMetadata> {
  const out: Record<string, string> = {};
  const issues: ValidationIssue[] = [];
  for (const name of ["source", "revision", "ref"] as const) {
    if (git?.[name] === undefined) continue;
    const checked = checkGitField(name, git[name], `git.${name}`);
    if (checked.ok) out[name] = checked.value;
    else issues.push(...checked.error);
  }
  return issues.length > 0 ? fail(issues) : ok(out);
}
