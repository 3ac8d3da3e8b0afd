import { fail, ok, type Result, type ValidationIssue } from "../core/result.ts";
import { parseRef } from "../tags/parseRef.ts";

/** The git facts a build records on its image (annotations and labels) and that name its build tag. */
export interface GitBuildFacts {
  /** Full 40-hex commit id: the source version CodeBuild checks out and the `sha-<commit>` tag. */
  readonly commit: string;
  /** Full ref, `refs/heads/main` or `refs/tags/v1.2.3`. */
  readonly ref: string;
  /** Repository URL, e.g. https://github.com/octo-org/shop. */
  readonly sourceUrl?: string;
  /** The workflow run that started the build, for the build's own logs. */
  readonly runUrl?: string;
}

/** One environment variable override for StartBuildBatch. */
export interface EnvironmentOverride {
  readonly name: string;
  readonly value: string;
  readonly type: "PLAINTEXT";
}

const COMMIT = /^[0-9a-f]{40}$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused.
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Validates the git facts and turns them into the PORTCULLIS_* overrides build.sh reads. The ref must be
 * a branch or tag (pull-request refs never release); URLs must be http(s) without control characters.
 * @example buildEnvironment({ commit, ref: "refs/heads/main", sourceUrl: "https://github.com/o/r" })
 */
export function buildEnvironment(facts: GitBuildFacts): Result<EnvironmentOverride[]> {
  const issues: ValidationIssue[] = [];
  if (!COMMIT.test(facts.commit))
    issues.push({
      field: "source-version",
      value: facts.commit,
      message: "must be a full 40-character lowercase commit id",
    });
  const ref = parseRef(facts.ref, "ref");
  if (!ref.ok) issues.push(...ref.error);
  for (const [field, value] of [
    ["source-url", facts.sourceUrl],
    ["run-url", facts.runUrl],
  ] as const) {
    if (value !== undefined && (!/^https?:\/\/\S+$/.test(value) || CONTROL.test(value)))
      issues.push({ field, value, message: "must be an http(s) URL" });
  }
  if (issues.length > 0) return fail(issues);
  const variables: [string, string | undefined][] = [
    ["PORTCULLIS_COMMIT", facts.commit],
    ["PORTCULLIS_REF", facts.ref],
    ["PORTCULLIS_SOURCE_URL", facts.sourceUrl],
    ["PORTCULLIS_RUN_URL", facts.runUrl],
  ];
  return ok(
    variables.flatMap(([name, value]) =>
      value === undefined ? [] : [{ name, value, type: "PLAINTEXT" as const }],
    ),
  );
}
