/**
 * Rules every workflow and action of this repository keeps, as functions returning the problems found (so
 * the tests can show each rule catches what it is for). Sources: GitHub Docs, "Security hardening for
 * GitHub Actions" (pin actions to a full-length commit SHA) and "Control the concurrency of workflows and
 * jobs" (a group holds at most one running and one pending run; a newer pending run cancels the older
 * pending one, whatever cancel-in-progress says).
 */

/** The parts of a workflow or action step the rules read. */
export interface RuleStep {
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
}

/** The parts of a workflow the rules read. */
export interface RuleWorkflow {
  readonly on?: unknown;
  readonly concurrency?: unknown;
  readonly jobs?: Record<string, { readonly concurrency?: unknown; readonly steps?: readonly RuleStep[] }>;
}

const SHA = /^[\w.-]+\/[\w.-]+(\/[^@]*)?@[0-9a-f]{40}$/;
const DOCKER = /^docker:\/\/[^@\s]+@sha256:[0-9a-f]{64}$/;

/** `uses:` values that are neither local (`./…`) nor pinned to a commit SHA (or an image digest). */
export function unpinnedUses(steps: readonly RuleStep[]): string[] {
  return steps
    .flatMap((step) => (step.uses === undefined ? [] : [step.uses]))
    .filter((uses) => !uses.startsWith("./") && !SHA.test(uses) && !DOCKER.test(uses));
}

// npx, npm exec/x, pnpm dlx/exec, yarn dlx, bunx: each can fetch and run a package from a registry.
const PACKAGE_RUNNER = /(^|[\s;&|(])(npx|npm\s+(exec|x)|pnpm\s+(dlx|exec)|yarn\s+dlx|bunx)(\s|$)/m;

/** Run scripts that run a package from a registry instead of this repository's code. */
export function packageRuns(steps: readonly RuleStep[]): string[] {
  return steps.filter((step) => step.run !== undefined && PACKAGE_RUNNER.test(step.run)).map(describe);
}

/** Whether pushes trigger the workflow. */
export function runsOnPush(workflow: RuleWorkflow): boolean {
  const on = workflow.on;
  if (typeof on === "string") return on === "push";
  if (Array.isArray(on)) return on.includes("push");
  return typeof on === "object" && on !== null && "push" in on;
}

/**
 * Concurrency settings that can drop a pushed commit: a group (workflow or job) not unique per commit, or
 * cancel-in-progress. Checked on every push-triggered workflow (the caller says which).
 */
export function droppingConcurrency(workflow: RuleWorkflow): string[] {
  const settings = [
    ["workflow", workflow.concurrency] as const,
    ...Object.entries(workflow.jobs ?? {}).map(([id, job]) => [`job ${id}`, job.concurrency] as const),
  ];
  return settings.flatMap(([where, setting]) => {
    if (setting === undefined) return [];
    const { group, cancel } =
      typeof setting === "string"
        ? { group: setting, cancel: undefined }
        : {
            group: String((setting as { group?: unknown }).group ?? ""),
            cancel: (setting as { "cancel-in-progress"?: unknown })["cancel-in-progress"],
          };
    const problems: string[] = [];
    if (!/\$\{\{[^}]*\bgithub\.sha\b[^}]*\}\}/.test(group))
      problems.push(
        `${where}: concurrency group ${JSON.stringify(group)} is not unique per commit (github.sha)`,
      );
    if (cancel !== undefined && cancel !== false)
      problems.push(`${where}: cancel-in-progress ${JSON.stringify(cancel)} cancels a running build`);
    return problems;
  });
}

function describe(step: RuleStep): string {
  return step.name ?? step.run ?? step.uses ?? "?";
}
