import { normalizeSource, type ProvenanceFacts } from "./provenanceOf.ts";

/** What the policy requires a build's provenance to say. */
export interface ProvenanceExpectation {
  /** The source repository, e.g. `https://github.com/org/app`. */
  readonly sourceRepository: string;
  /** The commit the candidate says it was built from. */
  readonly revision: string | undefined;
  /** The builder id required (in AWS, the CodeBuild project's builds: an ARN prefix); any when absent. */
  readonly builderPrefix?: string;
}

/** One way a platform's provenance falls short. */
export interface ProvenanceProblem {
  readonly platform: string;
  readonly detail: string;
}

/**
 * Checks each platform's build provenance against the expectation; returns one problem per way a platform
 * lacks it or says otherwise (empty: all good). A candidate with no known commit fails: nothing to compare. Pure.
 * @example checkProvenance({ "linux/amd64": facts, "linux/arm64": undefined }, expectation) // [{ platform: "linux/arm64", … }]
 */
export function checkProvenance(
  byPlatform: Readonly<Record<string, ProvenanceFacts | undefined>>,
  expected: ProvenanceExpectation,
): ProvenanceProblem[] {
  const repository = normalizeSource(expected.sourceRepository);
  return Object.entries(byPlatform).flatMap(([platform, facts]) => {
    if (facts === undefined) return [{ platform, detail: "no build provenance attestation in the index" }];
    const details: string[] = [];
    if (facts.source !== repository)
      details.push(`provenance names source ${facts.source ?? "(none)"}, not ${repository}`);
    if (expected.revision === undefined) details.push("the image names no commit to compare with");
    else if (facts.revision !== expected.revision)
      details.push(`provenance names commit ${facts.revision ?? "(none)"}, not ${expected.revision}`);
    if (expected.builderPrefix !== undefined && !facts.builder?.startsWith(expected.builderPrefix))
      details.push(`provenance names builder ${facts.builder ?? "(none)"}, not ${expected.builderPrefix}…`);
    return details.map((detail) => ({ platform, detail }));
  });
}
