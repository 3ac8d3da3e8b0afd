// Bundles the CLI into dist/cli/ (run by `npm ci` through the `prepare` script). bin/portcullis.js runs the
// bundle while it is newer than every source it was built from, and the TypeScript sources through tsx
// otherwise, so the CLI never needs a build step and an edited source is never shadowed by a stale bundle.
// Why bundle at all: the tsx loader costs ~0.2 s and ~35 MB per process (bench/copy.ts measures both).
import { mkdir, readdir, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

// esbuild is a devDependency: without it (npm ci --omit=dev) there is no bundle and the bin runs the sources.
const esbuild = await import("esbuild").catch(() => undefined);
if (!esbuild) {
  console.warn("portcullis: esbuild is not installed; the CLI will run from its TypeScript sources");
  process.exit(0);
}
const { build } = esbuild;

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
// --outdir lets the tests bundle into a folder of their own (inside the package, so packages resolve).
const { values } = parseArgs({ options: { outdir: { type: "string" } } });
const outdir = resolve(root, values.outdir ?? join("dist", "cli"));
const commands = (await readdir(join(root, "src/cli/commands")))
  .filter((file) => file.endsWith(".ts"))
  .map((file) => file.slice(0, -3))
  .sort();

const result = await build({
  absWorkingDir: root,
  entryPoints: { main: "src/cli/main.ts" },
  outdir,
  outExtension: { ".js": ".mjs" },
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  define: { PORTCULLIS_COMMANDS: JSON.stringify(commands) },
  metafile: true,
  logLevel: "warning",
});

await mkdir(outdir, { recursive: true });
const inputs = Object.keys(result.metafile.inputs)
  .filter((input) => !input.startsWith("<")) // esbuild's virtual modules, e.g. <define:…>
  .map((input) => relative(root, resolve(root, input)));
await writeFile(join(outdir, "inputs.json"), `${JSON.stringify({ inputs }, null, 1)}\n`);
