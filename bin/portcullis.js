#!/usr/bin/env node
// Runs the CLI bundle that `npm ci` builds (scripts/bundle-cli.mjs) while it is fresh, else the TypeScript
// sources through tsx: no build step is ever needed, and a stale bundle never hides an edited source.
import { readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

// The lock file pins AWS SDK releases that still support Node 20; their upgrade notice is noise for users.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bundle = join(root, "dist", "cli", "main.mjs");

/** True when the bundle exists and no source it was built from changed since. */
function bundleIsFresh() {
  if (process.env.PORTCULLIS_FROM_SOURCE === "1") return false;
  try {
    const built = statSync(bundle).mtimeMs;
    const { inputs } = JSON.parse(readFileSync(join(root, "dist", "cli", "inputs.json"), "utf8"));
    const commands = statSync(join(root, "src", "cli", "commands")).mtimeMs;
    return commands <= built && inputs.every((input) => statSync(join(root, input)).mtimeMs <= built);
  } catch {
    return false;
  }
}

let main;
if (bundleIsFresh()) {
  ({ main } = await import(bundle));
} else {
  const { register } = await import("tsx/esm/api");
  register();
  ({ main } = await import("../src/cli/main.ts"));
}
process.exitCode = await main(process.argv.slice(2));
