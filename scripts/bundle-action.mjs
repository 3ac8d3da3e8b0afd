// Bundles the GitHub Action (action/main.ts) into action/dist/index.mjs, the one file action.yml runs: every
// package inlined, so the runner needs no `npm install`, the way JavaScript actions are distributed. The
// bundle is committed; test/action/bundle.test.ts rebuilds it and fails when the committed file differs, so
// the build must be deterministic: no timestamps, no absolute paths, no source maps.
//   node scripts/bundle-action.mjs [--outfile PATH]
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { build } from "esbuild";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({ options: { outfile: { type: "string" } } });

await build({
  absWorkingDir: root,
  entryPoints: ["action/main.ts"],
  outfile: resolve(root, values.outfile ?? "action/dist/index.mjs"),
  bundle: true,
  format: "esm",
  platform: "node",
  // action.yml runs node24; node20 syntax runs there and in this repository's Node 20 test runs.
  target: "node20",
  legalComments: "eof",
  // The AWS SDK's CommonJS files call require() for Node's built-in modules, which an ES module lacks.
  banner: {
    js: 'import { createRequire } from "node:module"; const require = createRequire(import.meta.url);',
  },
  // Module paths as the checkout names them (node_modules/…), whether or not node_modules is a symlink: the
  // paths land in the bundle's comments, so resolving symlinks would make the bytes depend on the machine.
  preserveSymlinks: true,
  logLevel: "warning",
});
