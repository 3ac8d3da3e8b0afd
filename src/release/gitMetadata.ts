import { ok, type Result } from "../core/result.ts";
import type { GitMetadata } from "./Candidate.ts";
import { checkGitField } from "./checkGitField.ts";

/** Where git metadata is read from: the index's annotations and the image config's labels. */
export interface GitMetadataSources {
  readonly annotations?: Readonly<Record<string, unknown>>;
  readonly labels?: Readonly<Record<string, unknown>>;
}

/** The OCI pre-defined annotation keys, https://github.com/opencontainers/image-spec/blob/main/annotations.md */
export const GitAnnotation = {
  source: "org.opencontainers.image.source",
  revision: "org.opencontainers.image.revision",
  ref: "org.opencontainers.image.ref.name",
} as const;

/**
 * Reads source, revision and ref from OCI annotations, falling back to config labels per key (an
 * annotation wins). Empty values count as absent. The revision must be a full 40-hex commit id; values
 * with control characters or over 2048 characters are refused, naming where they came from.
 * @example gitMetadata({ annotations: { "org.opencontainers.image.revision": commit } }) // => ok({ revision: commit })
 */
export function gitMetadata(sources: GitMetadataSources): Result<GitMetadata> {
  const out: Record<string, string> = {};
  for (const [name, key] of Object.entries(GitAnnotation)) {
    const found = pick(sources, key);
    if (found === undefined) continue;
    const checked = checkGitField(name as keyof GitMetadata, found.value, `${found.from}["${key}"]`);
    if (!checked.ok) return checked;
    out[name] = checked.value;
  }
  return ok(out as GitMetadata);
}

function pick(sources: GitMetadataSources, key: string): { value: unknown; from: string } | undefined {
  for (const from of ["annotations", "labels"] as const) {
    const value = sources[from]?.[key];
    if (value !== undefined && value !== null && value !== "") return { value, from };
  }
  return undefined;
}
