import { visit } from "jsonc-parser";
import { fieldPath, type ValidationIssue } from "../core/index.ts";

/**
 * Finds every key written twice in one object of a JSON document. `JSON.parse` (and the AWS SDK) keep
 * the last value, so `"findings": [CRITICAL], "findings": []` would silently lose the CRITICAL: a
 * findings document with a duplicate key is malformed and must be refused, not read. Each issue names
 * the key's field path and both lines. Reads with jsonc-parser, comments and trailing commas refused.
 * @example findDuplicateKeys('{"a": 1, "a": 2}') // [{ field: "a", value: "a", message: "is written twice …" }]
 */
export function findDuplicateKeys(text: string, fieldPrefix = ""): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const objects: Array<Map<string, number>> = [];
  visit(
    text,
    {
      onObjectBegin: () => {
        objects.push(new Map());
      },
      onObjectEnd: () => {
        objects.pop();
      },
      onObjectProperty: (property, _offset, _length, startLine, _startCharacter, pathSupplier) => {
        const keys = objects.at(-1);
        const firstLine = keys?.get(property);
        if (firstLine === undefined) {
          keys?.set(property, startLine);
          return;
        }
        issues.push({
          field: fieldPath(fieldPrefix, [...pathSupplier(), property]),
          value: property,
          message: `is written twice in one object (${lines(firstLine, startLine)}): read last-wins, the first value and any findings in it would be lost, so the document is refused as malformed`,
        });
      },
    },
    { disallowComments: true, allowTrailingComma: false },
  );
  return issues;
}

/** 0-based lines as `line 3` or `lines 3 and 9`. */
function lines(first: number, second: number): string {
  return first === second ? `line ${first + 1}` : `lines ${first + 1} and ${second + 1}`;
}
