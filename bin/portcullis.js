#!/usr/bin/env node
// The CLI runs straight from the TypeScript sources (no build step): tsx registers the loader.
import { register } from "tsx/esm/api";

// The lock file pins AWS SDK releases that still support Node 20; their upgrade notice is noise for users.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
register();
const { main } = await import("../src/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
