import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");
/** Where code that may use an export lives. */
const USERS = [
  "src",
  "functions",
  "stacks",
  "scripts",
  "bench",
  "test",
  "bin",
  "sst.config.ts",
  "vitest.config.ts",
];
/** Dependencies used as programs or by tools, not imported by code. */
const TOOLS = new Set(["tsx"]);

function codeFiles(path: string): string[] {
  if (!existsSync(path)) return [];
  if (
    !readdirSync(resolve(path, ".."), { withFileTypes: true })
      .find((e) => e.name === path.split("/").pop())
      ?.isDirectory()
  )
    return /\.(ts|mjs|js)$/.test(path) ? [path] : [];
  return readdirSync(path, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === "node_modules") return [];
    return codeFiles(join(path, entry.name));
  });
}

const files = USERS.flatMap((p) => codeFiles(join(ROOT, p)));
const texts = new Map(files.map((f) => [f, readFileSync(f, "utf8")]));

/** The names a source file exports by declaration (`export function f`, `export const a, b`, `export type T` …). */
function exportedNames(file: string): string[] {
  const source = ts.createSourceFile(file, texts.get(file) ?? "", ts.ScriptTarget.Latest, false);
  return source.statements.flatMap((statement) => {
    if (!ts.canHaveModifiers(statement)) return [];
    if (!ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) return [];
    if (ts.isVariableStatement(statement))
      return statement.declarationList.declarations.flatMap((d) =>
        ts.isIdentifier(d.name) ? [d.name.text] : [],
      );
    const name = (statement as ts.DeclarationStatement).name;
    return name && ts.isIdentifier(name) ? [name.text] : [];
  });
}

/** How often each identifier occurs in `text` as code (comments and strings, import paths included, do not count). */
function identifiers(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) counts.set(node.text, (counts.get(node.text) ?? 0) + 1);
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile("code.ts", text, ts.ScriptTarget.Latest, false));
  return counts;
}

const counted = new Map([...texts].map(([file, text]) => [file, identifiers(text)]));

/** How often `name` occurs as an identifier in `file`. */
function occurrences(file: string, name: string): number {
  return counted.get(file)?.get(name) ?? 0;
}

describe("unused code", () => {
  it("src/ exports nothing that no file uses (dead code), not even the file itself", () => {
    const dead = files
      .filter((f) => relative(ROOT, f).startsWith("src/"))
      .flatMap((file) =>
        exportedNames(file)
          .filter((name) => occurrences(file, name) === 1)
          .filter((name) => !files.some((other) => other !== file && occurrences(other, name) > 0))
          .map((name) => `${relative(ROOT, file)}: ${name}`),
      );
    expect(dead).toEqual([]);
  });

  it("package.json declares no runtime dependency that no code imports", () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    const unused = Object.keys(manifest.dependencies).filter(
      (name) =>
        !TOOLS.has(name) &&
        ![...texts.values()].some((text) => text.includes(`"${name}"`) || text.includes(`"${name}/`)),
    );
    expect(unused).toEqual([]);
  });

  it("reads exports from declarations, and uses from code only", () => {
    expect(exportedNames(files.find((f) => f.endsWith("src/core/Clock.ts")) ?? "")).toEqual([
      "Clock",
      "WaitingClock",
      "systemClock",
    ]);
    const counts = identifiers(
      '// deadName\nexport * from "./deadName.ts";\nconst a = deadName; deadNameToo',
    );
    expect(counts.get("deadName")).toBe(1);
  });
});
