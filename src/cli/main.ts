import { readdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { type Command, type CommandIo, ExitCode, UsageError } from "./Command.ts";

const COMMANDS_DIR = fileURLToPath(new URL("./commands/", import.meta.url));
const NAME = /^[a-z][a-z-]*$/;

/** The command names, fixed by scripts/bundle-cli.mjs in the CLI bundle (which has no commands/ folder). */
declare const PORTCULLIS_COMMANDS: readonly string[] | undefined;

/** The process's own streams and environment. */
export function processIo(): CommandIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    isTty: Boolean(process.stdout.isTTY),
    env: process.env,
    cwd: process.cwd(),
  };
}

/**
 * Runs `portcullis <command> …` and resolves to the exit code.
 * @example await main(["event", "scan.json"]) // 0, 1 or 2
 */
export async function main(argv: readonly string[], io: CommandIo = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.stdout(await overview());
    return name === undefined ? ExitCode.Usage : ExitCode.Ok;
  }
  const command = await loadCommand(name);
  if (!command) {
    io.stderr(`portcullis: unknown command ${JSON.stringify(name)}\n\n${await overview()}`);
    return ExitCode.Usage;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    io.stdout(`${command.usage.trimEnd()}\n`);
    return ExitCode.Ok;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`portcullis ${command.name}: ${error.message}\n\n${command.usage.trimEnd()}\n`);
      return ExitCode.Usage;
    }
    throw error;
  }
}

async function loadCommand(name: string): Promise<Command | undefined> {
  if (!NAME.test(name) || !(await commandNames()).includes(name)) return undefined;
  const module = (await import(`./commands/${name}.ts`)) as { command: Command };
  return module.command;
}

async function commandNames(): Promise<string[]> {
  if (typeof PORTCULLIS_COMMANDS !== "undefined") return [...PORTCULLIS_COMMANDS];
  const files = await readdir(COMMANDS_DIR);
  return files
    .filter((file) => file.endsWith(".ts"))
    .map((file) => file.slice(0, -3))
    .sort();
}

async function overview(): Promise<string> {
  const lines = ["Usage: portcullis <command> [options]", "", "Commands:"];
  for (const name of await commandNames()) {
    const command = await loadCommand(name);
    if (command) lines.push(`  ${name.padEnd(14)}${command.summary}`);
  }
  lines.push("", "Run `portcullis <command> --help` for a command's options.");
  return `${lines.join("\n")}\n`;
}
