import { type Document, isMap, isScalar, isSeq, type LineCounter, type Node } from "yaml";

/** A 1-based position in a policy file. */
export interface Position {
  readonly line: number;
  readonly column: number;
}

/**
 * Finds where a field (`overrides[0].thresholds.fixable.CRTICAL`) is written in a parsed YAML/JSON
 * document: the key of a map entry, the item of a sequence, or, for a field that is missing, the
 * closest enclosing node that exists.
 * @example locateField(doc, lineCounter, "allowlist[1].expires") // { line: 12, column: 14 }
 */
export function locateField(
  document: Document,
  lineCounter: LineCounter,
  field: string,
): Position | undefined {
  let node: unknown = document.contents;
  let offset = rangeStart(node);
  for (const key of fieldKeys(field)) {
    const next = child(node, key);
    if (!next) break;
    node = next.node;
    offset = next.offset ?? offset;
  }
  if (offset === undefined) return undefined;
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}

function child(node: unknown, key: string | number): { node: unknown; offset?: number } | undefined {
  if (isMap(node)) {
    const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(key));
    return pair ? { node: pair.value, offset: rangeStart(pair.key) ?? rangeStart(pair.value) } : undefined;
  }
  if (isSeq(node) && typeof key === "number") {
    const item = node.items[key];
    return item === undefined ? undefined : { node: item, offset: rangeStart(item) };
  }
  return undefined;
}

function rangeStart(node: unknown): number | undefined {
  return (node as Node | null | undefined)?.range?.[0];
}

/** `a.b[2].c` → `["a", "b", 2, "c"]`. */
function fieldKeys(field: string): Array<string | number> {
  const keys: Array<string | number> = [];
  for (const match of field.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    keys.push(match[2] === undefined ? (match[1] as string) : Number(match[2]));
  }
  return keys;
}
