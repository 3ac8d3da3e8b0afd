/** What a build provenance attestation says about where an image came from. */
export interface ProvenanceFacts {
  readonly predicateType: string;
  /** The source repository, e.g. `https://github.com/org/app` (normalized: no `.git`, no fragment). */
  readonly source?: string;
  /** The commit built. */
  readonly revision?: string;
  /** The builder's id (buildx `--provenance builder-id=…`: the CodeBuild build's ARN in AWS). */
  readonly builder?: string;
}

/** The SLSA provenance predicate types BuildKit writes (v0.2 by default, v1 with `version=v1`). */
export const PROVENANCE_PREDICATE_TYPES = [
  "https://slsa.dev/provenance/v0.2",
  "https://slsa.dev/provenance/v1",
];

type Json = Record<string, unknown>;

/**
 * Reads source, commit and builder from an in-toto statement carrying SLSA provenance as BuildKit writes it:
 * v0.2 `invocation.configSource` and the `https://mobyproject.org/buildkit@v1#metadata` `vcs` block, or v1
 * `buildDefinition.externalParameters.configSource` and `runDetails.metadata.buildkit_metadata.vcs`.
 * Undefined for anything else. Pure.
 * https://github.com/moby/buildkit/blob/master/docs/attestations/slsa-definitions.md
 * @example provenanceOf(JSON.parse(layer)) // { source: "https://github.com/org/app", revision: "0123…", … }
 */
export function provenanceOf(statement: unknown): ProvenanceFacts | undefined {
  const s = object(statement);
  const predicateType = s?.predicateType;
  const predicate = object(s?.predicate);
  if (typeof predicateType !== "string" || !PROVENANCE_PREDICATE_TYPES.includes(predicateType) || !predicate)
    return undefined;
  const v1 = predicateType.endsWith("/v1");
  const config = object(
    v1
      ? object(object(predicate.buildDefinition)?.externalParameters)?.configSource
      : object(predicate.invocation)?.configSource,
  );
  const metadata = v1
    ? object(object(object(predicate.runDetails)?.metadata)?.buildkit_metadata)
    : object(object(predicate.metadata)?.["https://mobyproject.org/buildkit@v1#metadata"]);
  const vcs = object(metadata?.vcs);
  const source = text(vcs?.source) ?? text(config?.uri);
  const revision = text(vcs?.revision) ?? text(object(config?.digest)?.sha1);
  const builder = text(object(v1 ? object(predicate.runDetails)?.builder : predicate.builder)?.id);
  return {
    predicateType,
    ...(source === undefined ? {} : { source: normalizeSource(source) }),
    ...(revision === undefined ? {} : { revision }),
    ...(builder === undefined ? {} : { builder }),
  };
}

/** `https://github.com/Org/app.git#refs/heads/main` → `https://github.com/org/app`: what a policy names. */
export function normalizeSource(uri: string): string {
  return uri
    .replace(/#.*$/, "")
    .replace(/\/+$/, "")
    .replace(/\.git$/, "")
    .toLowerCase();
}

function object(value: unknown): Json | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Json) : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined;
}
