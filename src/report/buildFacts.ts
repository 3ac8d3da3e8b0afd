import { fail, ok, parseRepositoryName, type Result, type ValidationIssue } from "../core/index.ts";
import type { BuildStateChanged, BuildStatus } from "../events/index.ts";

/** What a CodeBuild state change tells the report, read from the PORTCULLIS_* build variables. */
export interface BuildFacts {
  readonly region: string;
  /** The ECR repository the build pushes to. */
  readonly repository: string;
  readonly commit: string;
  readonly ref?: string;
  readonly source?: string;
  readonly project: string;
  readonly buildId: string;
  readonly status: BuildStatus;
  /** `image` (one platform) or `index` (the multi-arch index job). */
  readonly step?: string;
  readonly platform?: string;
  readonly logsUrl?: string;
  readonly time: string;
}

const COMMIT = /^[0-9a-f]{40}$/;

/**
 * Reads a build's facts from its event: the repository from PORTCULLIS_IMAGE (`HOST/REPOSITORY`), the
 * commit from PORTCULLIS_COMMIT (else a 40-hex source version). Builds that are not Portcullis builds
 * (no PORTCULLIS_IMAGE) are refused with the field named.
 * @example const facts = buildFacts(event); if (facts.ok) renderBuildCheckRun(facts.value);
 */
export function buildFacts(event: BuildStateChanged): Result<BuildFacts> {
  const env = event.environment;
  const issues: ValidationIssue[] = [];
  const image = env.PORTCULLIS_IMAGE;
  const slash = image?.indexOf("/") ?? -1;
  const repository = parseRepositoryName(
    slash > 0 ? image?.slice(slash + 1) : undefined,
    "environment.PORTCULLIS_IMAGE",
  );
  if (!repository.ok) issues.push(...repository.error.map((i) => ({ ...i, value: image })));
  const commit = env.PORTCULLIS_COMMIT ?? event.sourceVersion;
  if (commit === undefined || !COMMIT.test(commit))
    issues.push({
      field: "environment.PORTCULLIS_COMMIT",
      value: commit,
      message: "must be a full 40-character lowercase commit id",
    });
  if (!repository.ok || issues.length > 0 || commit === undefined) return fail(issues);
  return ok({
    region: event.region,
    repository: repository.value,
    commit,
    project: event.project,
    buildId: event.buildId,
    status: event.status,
    time: event.time,
    ...optional("ref", env.PORTCULLIS_REF),
    ...optional("source", env.PORTCULLIS_SOURCE_URL),
    ...optional("step", env.PORTCULLIS_STEP),
    ...optional("platform", env.PORTCULLIS_PLATFORM),
    ...optional("logsUrl", event.logsUrl),
  });
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value ? ({ [key]: value } as Record<K, string>) : {};
}
