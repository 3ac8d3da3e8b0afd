/**
 * What the policy is expected to admit, when the caller knows (`--repo`, `--branch`…). With a repository,
 * a list not given is empty: whatever the policy admits beyond the lists given is reported.
 */
export interface TrustExpectations {
  /** `OWNER/REPO` exactly as GitHub spells it. */
  readonly repository?: string;
  readonly branches?: readonly string[];
  readonly tagPatterns?: readonly string[];
  readonly environments?: readonly string[];
}
