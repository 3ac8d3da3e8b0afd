import type { RunSummary } from "./RunSummary.ts";

/** The parts of a run the checks read. */
export type RunFacts = Omit<RunSummary, "problems" | "notes">;

/**
 * What broke in a run, checked against the run's own evidence (not re-decided): the candidate finished; a
 * decision was recorded and matches the scenario's expectation; a promotion's tags point at the index
 * digest in the primary and every replica (read back from each registry); a rejection left no tag but the
 * build tag anywhere; no replica failed; no event was dead-lettered.
 * @example const problems = findProblems(facts); process.exitCode = problems.length ? 1 : 0;
 */
export function findProblems(run: RunFacts): string[] {
  return [
    ...finishProblems(run),
    ...run.regions
      .filter((r) => r.error)
      .map((r) => `${r.region} (${r.registry}) could not be read: ${r.error}`),
    ...expectationProblems(run),
    ...afterPromotionProblems(run),
    ...(run.promotedTags.length > 0 ? promotionProblems(run) : rejectionProblems(run)),
    ...Object.entries(run.replicas)
      .filter(([, replica]) => replica.status !== "replicated")
      .map(
        ([region, replica]) =>
          `replication to ${region} ${replica.status}${replica.error ? `: ${replica.error}` : ""}`,
      ),
    ...run.deadLetters.map((letter) => `${letter.rule} gave up on ${letter.event}: ${letter.error}`),
    ...attestationProblems(run),
  ];
}

/** A decision must carry a signed summary that verifies wherever the image is, saying what was decided. */
function attestationProblems(run: RunFacts): string[] {
  if (run.attestations === undefined || !run.decision) return [];
  const passed = run.decision.outcome === "passed";
  return run.attestations.flatMap((a) => {
    if (!a.verified)
      return [`${a.region} (${a.registry}): the decision's signed summary does not verify: ${a.reason}`];
    if (a.passed !== passed)
      return [
        `${a.region} (${a.registry}): the signed summary says ${a.passed ? "PASSED" : "FAILED"}, the decision was ${run.decision?.outcome}`,
      ];
    return [];
  });
}

function finishProblems(run: RunFacts): string[] {
  if (run.finish === "no-candidate") return ["no candidate was registered for the build tag"];
  if (run.finish === "out-of-ticks")
    return [`the candidate was still not finished after ${run.reconcileRuns} reconciler runs`];
  return run.decision ? [] : ["no decision was published"];
}

function expectationProblems(run: RunFacts): string[] {
  const { expect, name } = run.scenario;
  if (!expect || !run.decision) return [];
  const promoted = run.promotedTags.length > 0;
  if (expect === "promoted" && !promoted)
    return [
      `scenario ${name} expects a promotion, but the decision was ${run.decision.outcome} and nothing was promoted`,
    ];
  if (expect === "rejected" && run.decision.outcome === "passed")
    return [`scenario ${name} expects a rejection, but the gate passed`];
  return [];
}

/** The reconciler's record of the promoted image against what the scenario expects of it later. */
function afterPromotionProblems(run: RunFacts): string[] {
  const { expectAfter, name } = run.scenario;
  if (expectAfter === undefined || run.promotedTags.length === 0) return [];
  const watch = run.watch;
  switch (expectAfter) {
    case "demoted":
      return watch?.demotedAt
        ? []
        : [`scenario ${name} expects a demotion, but the promoted image was not demoted`];
    case "unmonitored":
      return [
        ...(watch?.unmonitoredSince
          ? []
          : [`scenario ${name} expects the image reported no longer monitored`]),
        ...(watch?.demotedAt ? [`scenario ${name} expects no demotion, but the image was demoted`] : []),
      ];
    case "notified":
      return watch?.demotedAt
        ? [`scenario ${name} expects a notification only, but the image was demoted`]
        : [];
  }
}

function promotionProblems(run: RunFacts): string[] {
  const problems: string[] = [];
  for (const region of run.regions.filter((r) => !r.error))
    for (const tag of run.promotedTags) {
      const digest = region.tags[tag];
      if (digest !== run.image.digest)
        problems.push(
          `${region.region} (${region.registry}): ${tag} ${digest ? `points at ${digest}` : "is missing"}, not at the index ${run.image.digest}`,
        );
    }
  return problems;
}

/** A referrers tag-schema index (`sha256-<hex>`): it lists the signed decision's summary, it promotes nothing. */
const REFERRERS_TAG = /^sha256-[a-f0-9]{64}$/;

function rejectionProblems(run: RunFacts): string[] {
  const [primary, ...replicas] = run.regions;
  const problems: string[] = [];
  const stray = Object.keys(primary?.tags ?? {}).filter(
    (tag) => tag !== run.image.buildTag && !REFERRERS_TAG.test(tag),
  );
  if (stray.length > 0)
    problems.push(`${primary?.region} holds tags although nothing was promoted: ${stray.join(", ")}`);
  for (const replica of replicas) {
    const tags = Object.keys(replica.tags);
    if (tags.length > 0)
      problems.push(`${replica.region} holds tags although nothing was promoted: ${tags.join(", ")}`);
  }
  return problems;
}
