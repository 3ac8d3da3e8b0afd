import { readFile, writeFile } from "node:fs/promises";
import { z } from "zod";
import type { StateLayout } from "./StateLayout.ts";

/** What a local run gated with, recorded in the state folder's `run.json` for the operator commands. */
export interface RecordedRun {
  /** The scenario's findings folder (absolute). */
  readonly findings: string;
  /** The policy file the run gated with (absolute). */
  readonly policyFile: string;
  /** The account in every envelope and the handlers' settings. */
  readonly account: string;
}

const recordedRunSchema = z.object({
  findings: z.string().min(1),
  policyFile: z.string().min(1),
  account: z.string().regex(/^\d{12}$/),
});

/** Records what this run gates with (overwriting the last run's). */
export async function recordRun(layout: StateLayout, run: RecordedRun): Promise<void> {
  await writeFile(layout.runFile, `${JSON.stringify(run, null, 2)}\n`);
}

/**
 * What the last run recorded, or undefined when it recorded nothing (a run before `run.json` existed) or the
 * file does not parse (an edited file is not trusted for a policy check).
 * @example const run = await readRecordedRun(stateLayout(cwd)); run?.findings // …/examples/findings/rollback
 */
export async function readRecordedRun(layout: StateLayout): Promise<RecordedRun | undefined> {
  const text = await readFile(layout.runFile, "utf8").catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    const parsed = recordedRunSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
