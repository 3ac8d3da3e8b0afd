import { createHash } from "node:crypto";
import type { BuiltImage } from "../build/BuiltImage.ts";
import type { Operation } from "../scenario/loadScenario.ts";
import { demoteLocally } from "./demoteLocally.ts";
import type { RunSummary } from "./RunSummary.ts";
import { rollbackLocally } from "./rollbackLocally.ts";
import { type RunScenarioOptions, runScenario } from "./runScenario.ts";

/** What {@link runReleases} builds: the ref each release claims, and the commit when it is not HEAD's. */
export interface ReleaseBuild {
  readonly ref: string;
  readonly commit?: string;
}

/** Options for {@link runReleases}: a scenario run, with a way to build each release instead of one image. */
export interface RunReleasesOptions extends Omit<RunScenarioOptions, "image"> {
  readonly build: (release: ReleaseBuild) => Promise<BuiltImage>;
  readonly operate: Operation;
}

/** The two releases: v1.0.0 from HEAD, then v1.1.0 from a synthetic commit after it (the tree is the same). */
const FIRST = "refs/tags/v1.0.0";
const SECOND = "refs/tags/v1.1.0";

/**
 * Two releases built and promoted in turn through the whole pipeline (v1.0.0, then v1.1.0, which takes
 * `latest`), then what an operator does next (`operate`). The report is the second release's, with the first
 * release's problems and the operation's own checks added, and the operation's output in `operations`.
 * @example const report = await runReleases({ ...scenarioOptions, build, operate: "rollback" })
 */
export async function runReleases(options: RunReleasesOptions): Promise<RunSummary> {
  const { build, operate, ...scenario } = options;
  const firstImage = await build({ ref: FIRST });
  const first = await runScenario({ ...scenario, image: firstImage });
  const secondImage = await build({ ref: SECOND, commit: nextCommit(firstImage.git.commit) });
  const second = await runScenario({ ...scenario, image: secondImage });
  const operation =
    first.promotedTags.length > 0 && second.promotedTags.length > 0
      ? await (operate === "rollback" ? rollbackLocally : demoteLocally)({ ...scenario, first, second })
      : { problems: [`${operate} skipped: both releases must be promoted first`], text: "" };
  return {
    ...second,
    problems: [
      ...first.problems.map((problem) => `release ${FIRST}: ${problem}`),
      ...second.problems,
      ...operation.problems,
    ],
    notes: [
      ...second.notes,
      `Regions above: as the second release's promotion left them; what the ${operate} changed is read back above the summary`,
    ],
    operations: operation.text,
  };
}

/** A stand-in commit id for the second release, derived from the first (no such commit exists in git). */
function nextCommit(commit: string): string {
  return createHash("sha1").update(`${commit}:next release`).digest("hex");
}
