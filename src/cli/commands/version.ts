import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { packageRoot } from "../../core/packageRoot.ts";
import { type Command, ExitCode } from "../Command.ts";

/** `portcullis version`: prints the package version. */
export const command: Command = {
  name: "version",
  summary: "Print the Portcullis version",
  usage: "Usage: portcullis version",
  async run(_argv, io) {
    const manifest = join(packageRoot(import.meta.url), "package.json");
    const pkg = JSON.parse(await readFile(manifest, "utf8")) as { version: string };
    io.stdout(`portcullis ${pkg.version}\n`);
    return ExitCode.Ok;
  },
};
