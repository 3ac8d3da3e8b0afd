import { describe, expect, it } from "vitest";
import { emptySeverityCounts } from "../../src/core/index.ts";
import { evaluatePolicy, formatVerdict } from "../../src/policy/index.ts";
import { digestOf, policyFrom, scanOf } from "./support.ts";

const AMD = digestOf("a");

describe("formatVerdict: the severity table", () => {
  it("keeps counts of 100000 and more apart, each column right-aligned under its severity", () => {
    const verdict = evaluatePolicy({
      policy: policyFrom(
        "version: 1\nthresholds:\n  fixable: { CRITICAL: 0, HIGH: 123456, MEDIUM: 100000 }\n",
      ),
      repository: "payments/api",
      platforms: [{ platform: "linux/amd64", digest: AMD, scan: scanOf(AMD, []) }],
      now: new Date("2026-01-01T00:00:00Z"),
    });
    const [platform] = verdict.platforms;
    if (!platform) throw new Error("no platform");
    const many = { ...emptySeverityCounts(), CRITICAL: 100000, HIGH: 123456, MEDIUM: 2345678, LOW: 999999 };
    const text = formatVerdict({
      ...verdict,
      platforms: [
        { ...platform, counts: many, counted: { fixable: many, unfixable: emptySeverityCounts() } },
      ],
    });
    const rows = text
      .split("\n")
      .filter((line) => /^ {2}(all findings|fixable|unfixable| {2}limit| {16})/.test(line));
    expect(rows).toHaveLength(6);
    const [header, all, , limit] = rows as [string, string, string, string];
    expect(all.trim().split(/\s+/)).toEqual([
      "all",
      "findings",
      "100000",
      "123456",
      "2345678",
      "999999",
      "0",
      "0",
    ]);
    expect(limit.trim().split(/\s+/)).toEqual(["limit", "0", "123456", "100000", "-", "-", "-"]);
    // Every row ends each column where the header's severity name ends.
    const ends = (line: string) =>
      [...line.matchAll(/\S+/g)].map((m) => (m.index ?? 0) + m[0].length).slice(-6);
    for (const row of rows.slice(1)) expect(ends(row)).toEqual(ends(header));
  });
});
