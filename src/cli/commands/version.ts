import { readFile } from "node:fs/promises";
import { type Command, ExitCode } from "../Command.ts";

/** `portcullis version`: prints the package version. */
export const command: Command = {
  name: "version",
  summary: "Print the Portcullis version",
  usage: "Usage: portcullis version",
  async run(_argv, io) {
    const pkg = JSON.parse(await readFile(new URL("../../../package.json", import.meta.url), "utf8")) as {
      version: string;
    };
    io.stdout(`portcullis ${pkg.version}\n`);
    return ExitCode.Ok;
  },
};
