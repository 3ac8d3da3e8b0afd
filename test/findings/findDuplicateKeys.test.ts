import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { findDuplicateKeys } from "../../src/findings/index.ts";

describe("findDuplicateKeys", () => {
  it("finds the findings list written twice, where last-wins would drop the CRITICAL", () => {
    const text = `{
  "imageScanStatus": { "status": "COMPLETE" },
  "imageScanFindings": {
    "findings": [{ "name": "CVE-2023-38545", "severity": "CRITICAL" }],
    "findings": []
  }
}`;
    expect(JSON.parse(text).imageScanFindings.findings).toEqual([]);
    expect(findDuplicateKeys(text)).toEqual([
      {
        field: "imageScanFindings.findings",
        value: "findings",
        message: expect.stringMatching(/^is written twice in one object \(lines 4 and 5\): read last-wins/),
      },
    ]);
  });

  it.each([
    ['[{"a": 1}, {"a": 2, "b": {"a": 3}}]', []],
    ['{"a": {"x": 1}, "b": {"x": 1}}', []],
    ['{"a": 1, "b": 2, "a": 3}', ["a"]],
    ['[{"ok": 1}, {"severity": "LOW", "severity": "HIGH"}]', ["[1].severity"]],
    ['{"a": [{"k": 1, "k": 2}], "a": 0}', ["a[0].k", "a"]],
  ])("in %s finds %j", (text, fields) => {
    expect(findDuplicateKeys(text).map((issue) => issue.field)).toEqual(fields);
  });

  it("prefixes the field, as for one file among several", () => {
    expect(findDuplicateKeys('{"a": 1, "a": 1}', "pages")[0]?.field).toBe("pages.a");
  });

  it("finds nothing in the real responses of the fixtures", () => {
    for (const name of ["payments-api.amd64.basic.json", "payments-api.arm64.enhanced.pages.json"]) {
      const text = readFileSync(new URL(`../fixtures/findings/${name}`, import.meta.url), "utf8");
      expect(findDuplicateKeys(text)).toEqual([]);
    }
  });
});
