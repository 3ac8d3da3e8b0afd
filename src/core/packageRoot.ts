import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The folder of Portcullis's own package.json, found by walking up from `from` (a module's
 * `import.meta.url`). Works from the sources (`src/…`) and from the CLI bundle (`dist/cli/…`) alike, so
 * shipped files (buildspec/, examples/, package.json) are found however the code runs.
 * @example readFileSync(join(packageRoot(import.meta.url), "package.json"))
 */
export function packageRoot(from: string): string {
  let dir = dirname(fileURLToPath(from));
  for (;;) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && isPortcullis(manifest)) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no Portcullis package.json above ${fileURLToPath(from)}`);
    dir = parent;
  }
}

function isPortcullis(manifest: string): boolean {
  try {
    return (JSON.parse(readFileSync(manifest, "utf8")) as { name?: unknown }).name === "portcullis";
  } catch {
    return false;
  }
}
