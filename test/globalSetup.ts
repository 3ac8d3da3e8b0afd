import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureTools, LOCAL_TOOLS, type Tool } from "../src/local/tools/ensureTools.ts";

/** The system peers the tests run: the local pipeline's tools, and shellcheck for the build script. */
export const TEST_TOOLS: readonly Tool[] = [
  ...LOCAL_TOOLS,
  { command: "shellcheck", debianPackage: "shellcheck" },
];

/**
 * Makes `npm test` work on a fresh Debian/Ubuntu machine: missing peers are installed with apt-get when running
 * as root (the same code `npm start` uses); otherwise the run stops at once, naming the packages to install.
 */
export default async function setup(): Promise<void> {
  await ensureTools({
    tools: TEST_TOOLS,
    logFile: join(tmpdir(), "portcullis-test-apt.log"),
    onInstall: (packages) => console.log(`installing ${packages.join(" ")} with apt-get for the tests`),
  });
}
