import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { CheckRunRef, GitHubCheckRuns, UpsertOptions } from "../../report/github/index.ts";
import { upsertCheckRun } from "../../report/github/upsertCheckRun.ts";
import type { CheckRunRender, ReportTarget } from "../../report/index.ts";

/** A check run as this adapter keeps it: GitHub's reference, the latest render, and its file. */
export interface LocalCheckRun {
  readonly ref: CheckRunRef;
  readonly target: ReportTarget;
  readonly render: CheckRunRender;
  readonly file: string;
  /** Annotations received over every request (GitHub appends them). */
  readonly annotations: number;
}

/**
 * {@link GitHubCheckRuns} without GitHub: runs are kept the way the Checks API keeps them (one per id,
 * found by name and external id on a commit, updates replace the output, annotations append) and each
 * create or update writes the run as markdown to `dir` — the check run you would see on the commit. The
 * report handler takes the same path as with a GitHub App, claims and re-renders included. The runs are kept in
 * `dir`'s `check-runs.json` too, as GitHub keeps them, so a later process over the same folder that resumes them
 * (`portcullis rollback --local`) updates the run the state table names by id; a new run starts afresh.
 * @example const checks = new FileCheckRuns(".portcullis/reports"); createReportHandler({ …, github: async () => checks })
 */
export class FileCheckRuns implements GitHubCheckRuns {
  readonly kind = "checks";
  readonly host = "github.com";
  readonly #runs = new Map<number, LocalCheckRun>();
  #nextId = 1;

  /** `resume`: start from the runs an earlier process kept in `dir` (a later command over a run's state). */
  constructor(
    private readonly dir: string,
    options: { readonly resume?: boolean } = {},
  ) {
    if (!options.resume) return;
    const kept = readKept(join(dir, INDEX_FILE));
    for (const run of kept) this.#runs.set(run.ref.id, run);
    this.#nextId = Math.max(0, ...kept.map((run) => run.ref.id)) + 1;
  }

  /** Every run, oldest first. */
  get runs(): readonly LocalCheckRun[] {
    return [...this.#runs.values()];
  }

  async listCheckRuns(target: ReportTarget, name: string): Promise<CheckRunRef[]> {
    return this.runs
      .filter((run) => sameCommit(run.target, target) && run.ref.name === name)
      .map((run) => run.ref);
  }

  async createCheckRun(target: ReportTarget, render: CheckRunRender): Promise<CheckRunRef> {
    const id = this.#nextId++;
    return this.#write(id, target, render, 0);
  }

  async updateCheckRun(target: ReportTarget, id: number, render: CheckRunRender): Promise<CheckRunRef> {
    const existing = this.#runs.get(id);
    if (!existing || !sameCommit(existing.target, target))
      throw new Error(`no check run ${id} on ${target.owner}/${target.repo}@${target.sha}`);
    return this.#write(id, target, render, existing.annotations);
  }

  async createOrUpdateCheckRun(
    target: ReportTarget,
    render: CheckRunRender,
    options: UpsertOptions = {},
  ): Promise<{ run: CheckRunRef; created: boolean }> {
    return upsertCheckRun(this, target, render, options);
  }

  #write(id: number, target: ReportTarget, render: CheckRunRender, annotations: number): CheckRunRef {
    const file = join(
      this.dir,
      `check-run-${slug(render.name)}-${render.external_id.replace(/^sha256:/, "").slice(0, 12)}.md`,
    );
    mkdirSync(this.dir, { recursive: true });
    writeFileSync(file, checkRunMarkdown(render, target));
    const ref: CheckRunRef = {
      id,
      name: render.name,
      headSha: target.sha,
      externalId: render.external_id,
      status: render.status,
      conclusion: render.conclusion ?? null,
      htmlUrl: `file://${file}`,
    };
    this.#runs.set(id, {
      ref,
      target,
      render,
      file,
      annotations: annotations + (render.annotations?.length ?? 0),
    });
    writeFileSync(join(this.dir, INDEX_FILE), `${JSON.stringify(this.runs)}\n`);
    return ref;
  }
}

const INDEX_FILE = "check-runs.json";

/** The runs an earlier instance kept in the folder (none when there is no index or it does not parse). */
function readKept(file: string): LocalCheckRun[] {
  try {
    const kept: unknown = JSON.parse(readFileSync(file, "utf8"));
    return Array.isArray(kept) ? (kept as LocalCheckRun[]) : [];
  } catch {
    return [];
  }
}

/** A check run as one markdown document: what GitHub shows on the commit's Checks tab. */
export function checkRunMarkdown(render: CheckRunRender, target?: ReportTarget): string {
  const state = render.status === "completed" ? `completed: ${render.conclusion ?? "?"}` : render.status;
  const where = target ? ` on ${target.owner}/${target.repo}@${target.sha.slice(0, 7)}` : "";
  const title = render.summary.includes(render.title) ? [] : [`## ${render.title}`, ""];
  const heading = `# ${render.name}${where} (${state})`;
  return [heading, "", ...title, render.summary, "", render.text, ""].join("\n");
}

function sameCommit(a: ReportTarget, b: ReportTarget): boolean {
  return a.owner === b.owner && a.repo === b.repo && a.sha === b.sha;
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}
