import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * The registry engine is one chain, as in go-containerregistry: name → credentials → transport (token
 * exchange included) → remote operations → copy/promote, over a base of errors, manifests and mapLimit.
 * A folder may import its own files and the layers below it, never one above.
 */
const LAYERS: Readonly<Record<string, number>> = {
  ".": 0,
  name: 1,
  credentials: 2,
  transport: 3,
  remote: 4,
  referrers: 5,
  copy: 6,
  promote: 6,
};

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../src/registry");

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sources(join(dir, entry.name))
      : entry.name.endsWith(".ts")
        ? [join(dir, entry.name)]
        : [],
  );
}

/** Files under src/registry that `file` imports (statically or with `import()`). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specs = [...text.matchAll(/(?:from\s+|import\(\s*)"(\.{1,2}\/[^"]+)"/g)].map((m) => m[1] as string);
  return specs.map((spec) => resolve(dirname(file), spec)).filter((path) => path.startsWith(root));
}

function folderOf(file: string): string {
  const rel = relative(root, file);
  return rel.includes("/") ? (rel.split("/")[0] as string) : ".";
}

const files = sources(root).filter((file) => !file.endsWith("index.ts"));

describe("registry engine layering", () => {
  it("knows the layer of every folder", () => {
    expect(files.map(folderOf).filter((folder) => LAYERS[folder] === undefined)).toEqual([]);
  });

  it("imports only from its own layer or the layers below (no auth ⇄ transport cycle)", () => {
    const upward = files.flatMap((file) =>
      importsOf(file)
        .filter((target) => (LAYERS[folderOf(target)] ?? 99) > (LAYERS[folderOf(file)] ?? -1))
        .map((target) => `${relative(root, file)} → ${relative(root, target)}`),
    );
    expect(upward).toEqual([]);
  });

  it("has no import cycle between files", () => {
    const graph = new Map(files.map((file) => [file, importsOf(file)]));
    const cycles: string[] = [];
    const state = new Map<string, "open" | "done">();
    const visit = (file: string, path: string[]): void => {
      if (state.get(file) === "done") return;
      if (state.get(file) === "open") {
        cycles.push([...path.slice(path.indexOf(file)), file].map((f) => relative(root, f)).join(" → "));
        return;
      }
      state.set(file, "open");
      for (const next of graph.get(file) ?? []) visit(next, [...path, file]);
      state.set(file, "done");
    };
    for (const file of files) visit(file, []);
    expect(cycles).toEqual([]);
  });

  it("exports only the public API from index.ts: no transport, authenticator or upload internals", async () => {
    const index = readFileSync(join(root, "index.ts"), "utf8");
    expect(index).not.toMatch(/export \* from/);
    const api = Object.keys(await import("../../src/registry/index.ts"));
    const internals = [
      "Transport",
      "Authenticator",
      "HttpRegistryClient",
      "checkResponse",
      "sendHttp",
      "withRetries",
    ];
    expect(api.filter((name) => internals.includes(name))).toEqual([]);
    expect(api).toEqual(
      expect.arrayContaining(["copy", "promote", "createRegistryClient", "parseReference"]),
    );
  });
});
