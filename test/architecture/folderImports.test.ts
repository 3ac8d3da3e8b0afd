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

/** The top-level folder of `src/` a file sits in. */
function folderOf(file: string): string {
  return relative(SRC, file).split(sep)[0] ?? "";
}

/**
 * Which `src/` folders each folder imports (type-only imports included: a type import still ties the
 * folders together), as folder → folder → the files that make the edge.
 */
function folderGraph(root = SRC): Map<string, Map<string, string[]>> {
  const graph = new Map<string, Map<string, string[]>>();
  for (const file of sourceFiles(root)) {
    const from = folderOf(file);
    const { importedFiles } = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
    for (const { fileName } of importedFiles) {
      if (!fileName.startsWith(".")) continue;
      const target = resolve(dirname(file), fileName);
      if (!target.startsWith(root + sep)) continue;
      const to = folderOf(target);
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
