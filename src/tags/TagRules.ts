/** Every value of {@link LatestPolicy}. */
export const LATEST_POLICIES = ["default-branch", "release", "both", "none"] as const;

/** Which refs move the `latest` tag. */
export type LatestPolicy = (typeof LATEST_POLICIES)[number];

/** How promotion tags are derived from a git ref. */
export interface TagRules {
  /** The branch whose builds also get `latest` (when {@link TagRules.latest} allows it). */
  readonly defaultBranch: string;
  /**
   * Who moves `latest`: the default branch, non-prerelease version tags, both, or nobody.
   * `both` (the default) follows the issue as written; projects that cut releases usually want `release`,
   * so that `latest` means "the newest release" rather than "whatever was pushed last".
   */
  readonly latest: LatestPolicy;
  /** Version tags also move `MAJOR.MINOR` and `MAJOR` (never for prereleases). */
  readonly floatingTags: boolean;
  /**
   * Version tags `0.y.z` also move a `0` tag. Off by default: under semver every 0.y may break its API,
   * so a tag that floats across all of 0.x promises a stability that does not exist.
   */
  readonly majorZeroTag: boolean;
}

/** The rules used when a caller does not override them. */
export const defaultTagRules: TagRules = {
  defaultBranch: "main",
  latest: "both",
  floatingTags: true,
  majorZeroTag: false,
};
