import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const SRC = resolve(import.meta.dirname, "../../src");

/** Every .ts file under `dir`, recursively. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

/** The top-level folder of `root` (default `src/`) a file sits in; a file directly in `root` is its own. */
function folderOf(file: string, root = SRC): string {
  return relative(root, file).split(sep)[0] ?? "";
}

/**
 * Which `src/` folders each folder imports (type-only imports included: a type import still ties the
 * folders together), as folder → folder → the files that make the edge.
 */
function folderGraph(root = SRC): Map<string, Map<string, string[]>> {
  const graph = new Map<string, Map<string, string[]>>();
  for (const file of sourceFiles(root)) {
    const from = folderOf(file, root);
    const { importedFiles } = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
    for (const { fileName } of importedFiles) {
      if (!fileName.startsWith(".")) continue;
      const target = resolve(dirname(file), fileName);
      if (!target.startsWith(root + sep)) continue;
      const to = folderOf(target, root);
      if (to === from) continue;
      const edges = graph.get(from) ?? new Map<string, string[]>();
      graph.set(from, edges);
      edges.set(to, [...(edges.get(to) ?? []), relative(root, file)]);
    }
  }
  return graph;
}

/** Every cycle between folders, each as the folders in order with the first repeated at the end. */
function folderCycles(graph: Map<string, Map<string, string[]>>): string[][] {
  const cycles: string[][] = [];
  const seen = new Set<string>();
  const visit = (node: string, path: string[]) => {
    for (const next of graph.get(node)?.keys() ?? []) {
      const at = path.indexOf(next);
      if (at >= 0) {
        const cycle = [...path.slice(at), next];
        const key = [...cycle.slice(0, -1)].sort().join(",");
        if (!seen.has(key)) {
          seen.add(key);
          cycles.push(cycle);
        }
        continue;
      }
      visit(next, [...path, next]);
    }
  };
  for (const start of [...graph.keys()].sort()) visit(start, [start]);
  return cycles;
}

describe("src/ folder imports", () => {
  it("form no cycle: dependencies point down", () => {
    const graph = folderGraph();
    const described = folderCycles(graph).map((cycle) =>
      cycle
        .slice(0, -1)
        .map((from, i) => `${from} → ${cycle[i + 1]} (${graph.get(from)?.get(cycle[i + 1] ?? "")?.[0]})`)
        .join(", "),
    );
    expect(described).toEqual([]);
  });

  it("finds a cycle when there is one", () => {
    const graph = new Map([
      ["report", new Map([["handlers", ["report/a.ts"]]])],
      ["handlers", new Map([["report", ["handlers/b.ts"]]])],
      ["core", new Map()],
    ]);
    expect(folderCycles(graph)).toEqual([["handlers", "report", "handlers"]]);
  });

  it("reads type-only and re-export imports as edges", () => {
    const graph = folderGraph();
    expect(graph.get("handlers")?.has("core")).toBe(true);
    expect(graph.get("core")?.has("handlers") ?? false).toBe(false);
  });
});

/**
 * The registry engine's chain, as go-containerregistry layers it: each folder may import only folders of a lower
 * rank (files directly in src/registry, such as errors.ts and index.ts, are not ranked).
 */
const REGISTRY_CHAIN: Readonly<Record<string, number>> = {
  name: 0,
  credentials: 1,
  transport: 2,
  remote: 3,
  copy: 4,
  promote: 4,
};

/** Edges between ranked folders that point up or sideways the chain, as `from → to (file)`. */
function chainViolations(graph: Map<string, Map<string, string[]>>, chain: Readonly<Record<string, number>>) {
  return [...graph].flatMap(([from, edges]) =>
    [...edges]
      .filter(([to]) => chain[from] !== undefined && chain[to] !== undefined && chain[to] >= chain[from])
      .map(([to, files]) => `${from} → ${to} (${files[0]})`),
  );
}

describe("src/registry's folders", () => {
  it("form one chain: name → credentials → transport → remote → copy, promote", () => {
    const graph = folderGraph(join(SRC, "registry"));
    expect([...graph.keys()].filter((from) => REGISTRY_CHAIN[from] !== undefined).sort()).toEqual([
      "copy",
      "credentials",
      "promote",
      "remote",
      "transport",
    ]);
    expect(chainViolations(graph, REGISTRY_CHAIN)).toEqual([]);
  });

  it("finds an edge that points back up the chain, or between copy and promote", () => {
    const graph = new Map([
      ["credentials", new Map([["transport", ["credentials/a.ts"]]])],
      [
        "copy",
        new Map([
          ["promote", ["copy/b.ts"]],
          ["name", ["copy/c.ts"]],
        ]),
      ],
    ]);
    expect(chainViolations(graph, REGISTRY_CHAIN)).toEqual([
      "credentials → transport (credentials/a.ts)",
      "copy → promote (copy/b.ts)",
    ]);
  });
});
