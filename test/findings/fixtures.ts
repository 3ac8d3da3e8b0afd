import { readFileSync } from "node:fs";

/** Reads a JSON fixture from test/fixtures/findings. */
export function findingsFixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../fixtures/findings/${name}`, import.meta.url), "utf8"));
}

/** Marks a field to delete in {@link edited}. */
export const REMOVE = Symbol("remove");

/**
 * A copy of a fixture with fields changed, by dotted path (`imageScanFindings.findings[1].severity`).
 * @example edited("basic.json", { "imageScanStatus.status": "DONE", "imageId.imageDigest": REMOVE })
 */
export function edited(name: string, changes: Record<string, unknown>): unknown {
  const copy = findingsFixture(name);
  for (const [path, value] of Object.entries(changes)) setPath(copy, path, value);
  return copy;
}

/** Reads a field by dotted path. */
export function getPath(root: unknown, path: string): unknown {
  return keys(path).reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], root);
}

function setPath(root: unknown, path: string, value: unknown): void {
  const all = keys(path);
  const last = all.pop() as string;
  const parent = getPath(root, all.join(".")) as Record<string, unknown>;
  if (value === REMOVE) delete parent[last];
  else parent[last] = value;
}

function keys(path: string): string[] {
  return path === ""
    ? []
    : path
        .replace(/\[(\d+)\]/g, ".$1")
        .split(".")
        .filter(Boolean);
}
