import { randomBytes } from "node:crypto";
import { type CommandIo, ExitCode, UsageError } from "../cli/Command.ts";
import { describeOutcome, startBuild, writeActionsOutputs } from "../cli/commands/build.ts";
import { actionInput } from "./actionInput.ts";
import { workflowCommand } from "./workflowCommand.ts";

/** The inputs action.yml declares; each is passed to `portcullis build start` as the option of its name. */
export const ACTION_INPUTS = [
  "project",
  "source-version",
  "ref",
  "source-url",
  "region",
  "timeout",
  "poll",
] as const;

/** The outputs action.yml declares, written to $GITHUB_OUTPUT by `build start`. */
export const ACTION_OUTPUTS = ["digest", "batch-id"] as const;

const TITLE = "Portcullis build";

/**
 * The GitHub Action's entry point (action.yml): reads the inputs, starts the CodeBuild batch build and
 * streams every job's log inside a log group, with workflow commands stopped while the build's own output
 * passes (a line a Dockerfile prints cannot set an output or fail the step), then writes `digest` and
 * `batch-id` to $GITHUB_OUTPUT. A failed, stopped or timed-out batch, bad input or an AWS error becomes an
 * `::error::` annotation saying why, and a non-zero exit code.
 * @example process.exitCode = await runAction({ ...io, env: process.env })
 */
export async function runAction(io: CommandIo): Promise<number> {
  const line = (text: string) => io.stdout(`${text}\n`);
  const argv = ACTION_INPUTS.flatMap((name) => {
    const value = actionInput(io.env, name);
    return value === "" ? [] : [`--${name}`, value];
  });
  const logs = new LogGroup(line, `${TITLE}: ${actionInput(io.env, "project")}`);
  try {
    const { outcome, project } = await startBuild(argv, io.env, (text) => logs.print(text));
    logs.close();
    await writeActionsOutputs(outcome, project, io.env);
    const result = describeOutcome(outcome).trimEnd();
    if (outcome.kind === "succeeded") {
      line(result);
      return ExitCode.Ok;
    }
    line(workflowCommand("error", result, { title: TITLE }));
    return ExitCode.Failed;
  } catch (error) {
    logs.close();
    line(workflowCommand("error", describeError(error), { title: TITLE }));
    return error instanceof UsageError ? ExitCode.Usage : ExitCode.Failed;
  }
}

/** Bad input names the action's input (`input "project"`), not the CLI option it became. */
function describeError(error: unknown): string {
  if (error instanceof UsageError)
    return ACTION_INPUTS.reduce(
      (text, name) => text.replaceAll(`--${name}`, `input "${name}"`),
      error.message,
    );
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** The build's log lines, in one collapsible group, opened at the first line; commands stay off inside. */
class LogGroup {
  readonly #token = randomBytes(16).toString("hex");
  #open = false;

  constructor(
    private readonly line: (text: string) => void,
    private readonly title: string,
  ) {}

  print(text: string): void {
    if (!this.#open) {
      this.line(workflowCommand("group", this.title));
      this.line(workflowCommand("stop-commands", this.#token));
      this.#open = true;
    }
    this.line(text);
  }

  close(): void {
    if (!this.#open) return;
    this.line(`::${this.#token}::`);
    this.line(workflowCommand("endgroup"));
    this.#open = false;
  }
}
