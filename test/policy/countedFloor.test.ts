import { describe, expect, it } from "vitest";
import { emptySeverityCounts, SEVERITIES, type SeverityCounts } from "../../src/core/index.ts";
import { evaluatePolicy } from "../../src/policy/index.ts";
import { digestOf, finding, policyFrom, scanOf } from "./support.ts";

const AMD = digestOf("a");
const NOW = new Date("2026-01-01T12:00:00Z");
/** Limits nothing: only the scan itself can fail the gate. */
const UNLIMITED = policyFrom(`version: 1
thresholds:
  fixable: { CRITICAL: null }
  unfixable: { CRITICAL: null }
`);

function judge(listed: number, counted: Partial<SeverityCounts>, severity = "HIGH" as const) {
  const findings = Array.from({ length: listed }, (_, i) => finding(`CVE-2026-${1000 + i}`, severity));
  const countedAtScan = { ...emptySeverityCounts(), ...counted };
  return evaluatePolicy({
    policy: UNLIMITED,
    repository: "payments/api",
    platforms: [{ platform: "linux/amd64", digest: AMD, scan: scanOf(AMD, findings), countedAtScan }],
    now: NOW,
  });
}

describe("evaluatePolicy: the scan event's counts are a floor for the listed findings", () => {
  it.each(SEVERITIES.flatMap((severity) => [0, 1, 3].map((listed) => [severity, listed] as const)))(
    "never passes when the event counted one more %s finding than the %i listed, even with no limits",
    (severity, listed) => {
      const verdict = judge(listed, { [severity]: listed + 1 });
      const expectedListed = severity === "HIGH" ? listed : 0;
      expect(verdict.outcome).toBe("fail");
      expect(verdict.reasons).toContainEqual({
        kind: "findings-incomplete",
        platform: "linux/amd64",
        digest: AMD,
        severity,
        reported: listed + 1,
        listed: expectedListed,
        countedBy: "scan-event",
      });
    },
  );

  it.each([
    [0, {}],
    [2, { HIGH: 2 }],
    [3, { HIGH: 2 }],
  ])("passes with %i listed when the event counted %j (no more than listed)", (listed, counted) => {
    expect(judge(listed, counted).outcome).toBe("pass");
  });

  it("takes the larger of the API's and the event's counts", () => {
    const findings = [finding("CVE-2026-1", "HIGH")];
    const scan = scanOf(AMD, findings, { unlisted: [{ severity: "HIGH", reported: 2, listed: 1 }] });
    const verdict = evaluatePolicy({
      policy: UNLIMITED,
      repository: "payments/api",
      platforms: [
        { platform: "linux/amd64", digest: AMD, scan, countedAtScan: { ...emptySeverityCounts(), HIGH: 4 } },
      ],
      now: NOW,
    });
    expect(verdict.reasons).toEqual([
      expect.objectContaining({
        kind: "findings-incomplete",
        reported: 4,
        listed: 1,
        countedBy: "scan-event",
      }),
    ]);
  });
});
