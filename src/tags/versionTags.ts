import { fail, ok, type Result } from "../core/result.ts";
import { MAX_TAG_LENGTH } from "../core/tagName.ts";
import { compareRelease, parseSemver, type Semver } from "./parseSemver.ts";
import type { TagRules } from "./TagRules.ts";

/** What {@link versionTags} needs besides the version. */
export interface VersionTagOptions {
  readonly rules: TagRules;
  /** Tags already in the repository; when given, floating tags and `latest` only ever move forward. */
  readonly existingTags?: readonly string[];
  /** Field named in a refusal. */
  readonly field?: string;
}

/**
 * The tags a version release moves: the exact version, then (releases only) `MAJOR.MINOR`, `MAJOR` and
 * `latest` as the rules allow. OCI tags cannot hold `+`, so build metadata is written with `_`
 * (`1.2.3+build.5` → `1.2.3_build.5`, the convention Helm uses for OCI charts): `_` never occurs in a
 * semver, so the tag maps back unambiguously, whereas `-` would turn it into a prerelease. The plain
 * `1.2.3` is moved too, since build metadata does not change a version's precedence.
 * @example versionTags(parseSemver("v1.2.3")!, { rules: defaultTagRules }) // => ok(["1.2.3", "1.2", "1", "latest"])
 */
export function versionTags(version: Semver, options: VersionTagOptions): Result<string[]> {
  const exact = exactTags(version);
  const tooLong = exact.find((tag) => tag.length > MAX_TAG_LENGTH);
  if (tooLong !== undefined) {
    const field = options.field ?? "ref";
    return fail([{ field, value: tooLong, message: `makes a tag longer than ${MAX_TAG_LENGTH} characters` }]);
  }
  if (version.prerelease !== undefined) return ok(exact);
  return ok([...exact, ...floatingTags(version, options)]);
}

function exactTags(version: Semver): string[] {
  const core = `${version.major}.${version.minor}.${version.patch}`;
  const full = version.prerelease === undefined ? core : `${core}-${version.prerelease}`;
  return version.build === undefined ? [full] : [`${full}_${version.build}`, full];
}

function floatingTags(version: Semver, { rules, existingTags }: VersionTagOptions): string[] {
  const released = (existingTags ?? []).map(toVersion).filter(isRelease);
  const newest = (same: (other: Semver) => boolean) =>
    released.every((other) => !same(other) || compareRelease(version, other) >= 0);
  const tags: string[] = [];
  if (rules.floatingTags) {
    if (newest((o) => o.major === version.major && o.minor === version.minor)) {
      tags.push(`${version.major}.${version.minor}`);
    }
    if ((version.major > 0 || rules.majorZeroTag) && newest((o) => o.major === version.major)) {
      tags.push(`${version.major}`);
    }
  }
  if ((rules.latest === "release" || rules.latest === "both") && newest(() => true)) tags.push("latest");
  return tags;
}

function toVersion(tag: string): Semver | undefined {
  return parseSemver(tag.replace("_", "+"));
}

function isRelease(version: Semver | undefined): version is Semver {
  return version !== undefined && version.prerelease === undefined;
}
