import { type Platform, platformArch } from "../config/platforms.ts";
import { fail, ok, type Result } from "../core/result.ts";

/** The job that assembles the index; it depends on every platform job. */
export const INDEX_JOB = "index";

interface GraphJob {
  readonly identifier?: unknown;
  readonly "depend-on"?: unknown;
  readonly [key: string]: unknown;
}

/**
 * Narrows the batch buildspec (buildspec/buildspec.yml, parsed) to the platforms a repository builds: one
 * job per platform, identified by its architecture, and the index job depending on exactly those.
 * Refuses a template that lacks a job the repository needs, naming it.
 * @example batchBuildspec(parse(readFileSync("buildspec/buildspec.yml", "utf8")), ["linux/arm64"])
 */
export function batchBuildspec(
  template: unknown,
  platforms: readonly Platform[],
): Result<Record<string, unknown>> {
  const spec = template as { batch?: { "build-graph"?: unknown } } | null;
  const graph = spec?.batch?.["build-graph"];
  if (!Array.isArray(graph))
    return fail([{ field: "batch.build-graph", value: graph, message: "must be the list of batch jobs" }]);
  const jobs = graph as GraphJob[];
  const wanted = platforms.map(platformArch);
  const missing = [...wanted, INDEX_JOB].filter((id) => !jobs.some((job) => job.identifier === id));
  if (missing.length > 0)
    return fail([
      { field: "batch.build-graph", value: missing, message: "has no job with these identifiers" },
    ]);
  const kept = jobs
    .filter((job) => wanted.includes(job.identifier as "amd64" | "arm64") || job.identifier === INDEX_JOB)
    .map((job) => (job.identifier === INDEX_JOB ? { ...job, "depend-on": wanted } : job));
  return ok({ ...(template as object), batch: { ...spec?.batch, "build-graph": kept } });
}
