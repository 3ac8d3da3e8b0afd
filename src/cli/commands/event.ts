import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { formatIssues } from "../../core/index.ts";
import { normalizeEvent } from "../../events/index.ts";
import { type Command, type CommandIo, ExitCode, UsageError } from "../Command.ts";
import { describeFsError } from "../describeFsError.ts";

/** Where `portcullis event -` reads from; injected so tests need no real stdin. */
export interface EventCommandDeps {
  readStdin(): Promise<string>;
}

const usage = `Usage: portcullis event FILE

Validates an EventBridge event (ECR, Inspector, CodeBuild or Portcullis's own) and prints its
normalized form as JSON. FILE is a path, or - to read standard input.

Exit codes: 0 valid, 2 invalid event, unreadable file or invalid JSON.`;

/**
 * Builds the `event` command around its input source.
 * @example await createEventCommand({ readStdin: async () => json }).run(["-"], io)
 */
export function createEventCommand(deps: EventCommandDeps): Command {
  return {
    name: "event",
    summary: "Validate an EventBridge event and print it normalized",
    usage,
    async run(argv, io) {
      const file = parseArgs(argv);
      const name = file === "-" ? "(stdin)" : file;
      const text = await readInput(file, io, deps);
      if (!text.ok) return refuse(io, `cannot read ${name}: ${text.reason}`);
      const json = parseJson(text.value);
      if (!json.ok) return refuse(io, `${name} is not valid JSON: ${json.reason}`);
      const event = normalizeEvent(json.value);
      if (!event.ok) return refuse(io, `${name} is not a valid event:\n${formatIssues(event.error)}`);
      io.stdout(`${JSON.stringify(event.value, null, 2)}\n`);
      return ExitCode.Ok;
    },
  };
}

/** `portcullis event`, reading `-` from the process's stdin. */
export const command: Command = createEventCommand({ readStdin: () => readStream(process.stdin) });

function parseArgs(argv: readonly string[]): string {
  const flag = argv.find((arg) => arg.startsWith("-") && arg !== "-");
  if (flag !== undefined) throw new UsageError(`unknown option ${JSON.stringify(flag)}`);
  if (argv.length !== 1) throw new UsageError("expects exactly one FILE (or - for stdin)");
  return argv[0] as string;
}

type Read<T> = { ok: true; value: T } | { ok: false; reason: string };

async function readInput(file: string, io: CommandIo, deps: EventCommandDeps): Promise<Read<string>> {
  try {
    const value = file === "-" ? await deps.readStdin() : await readFile(resolve(io.cwd, file), "utf8");
    return { ok: true, value };
  } catch (error) {
    return { ok: false, reason: describeFsError(error) };
  }
}

function parseJson(text: string): Read<unknown> {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

function refuse(io: CommandIo, message: string): number {
  io.stderr(`portcullis event: ${message}\n`);
  return ExitCode.Usage;
}

async function readStream(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString("utf8");
}
