import { describe, expect, it } from "vitest";
import { failSafeLimits, type SeverityLimits } from "../../src/policy/index.ts";

describe("failSafeLimits: a severity left out is never unlimited when a less severe one is limited", () => {
  it.each<[string, SeverityLimits, SeverityLimits]>([
    ["HIGH limited: CRITICAL left out becomes 0", { HIGH: 0 }, { CRITICAL: 0, HIGH: 0 }],
    ["HIGH allows 3: CRITICAL still 0, not 3", { HIGH: 3 }, { CRITICAL: 0, HIGH: 3 }],
    ["MEDIUM limited: CRITICAL and HIGH become 0", { MEDIUM: 10 }, { CRITICAL: 0, HIGH: 0, MEDIUM: 10 }],
    [
      "UNDEFINED ranks last: limiting it limits everything above",
      { UNDEFINED: 0 },
      { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, INFORMATIONAL: 0, UNDEFINED: 0 },
    ],
    ["less severe ones left out stay left out (unlimited)", { CRITICAL: 0 }, { CRITICAL: 0 }],
    [
      "an explicit null above a limit is kept",
      { CRITICAL: null, MEDIUM: 3 },
      { CRITICAL: null, HIGH: 0, MEDIUM: 3 },
    ],
    ["null below does not limit anything above", { LOW: null }, { LOW: null }],
    ["nothing written, nothing filled", {}, {}],
  ])("%s", (_title, limits, expected) => {
    expect(failSafeLimits(limits)).toEqual(expected);
  });
});
