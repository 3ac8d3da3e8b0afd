import { describe, expect, it } from "vitest";
import { evaluatePolicy, type PlatformScan, summarizeVerdict } from "../../src/policy/index.ts";
import { readDecision } from "../../src/report/index.ts";
import { digestOf, finding, policyFrom, scanOf } from "../policy/support.ts";

const POLICY = policyFrom(`version: 1
thresholds:
  fixable: { HIGH: 0 }
allowlist:
  - { id: CVE-1999-0001, reason: "old", owner: ops, expires: "2025-01-01" }
`);
const A = digestOf("a");
const B = digestOf("b");

function stored(platforms: readonly PlatformScan[]) {
  const summary = summarizeVerdict(
    evaluatePolicy({
      policy: POLICY,
      repository: "payments/api",
      platforms,
      now: new Date("2026-01-01T00:00:00Z"),
    }),
  );
  return {
    outcome: "failed" as const,
    at: "2026-01-01T00:00:00.000Z",
    reasons: JSON.parse(JSON.stringify(summary)),
  };
}

describe("readDecision", () => {
  it.each<[string, PlatformScan[]]>([
    ["no platforms", []],
    ["a missing scan", [{ platform: "linux/amd64", digest: A }]],
    [
      "a duplicate platform",
      [
        { platform: "linux/amd64", digest: A, scan: scanOf(A, []) },
        { platform: "linux/amd64", digest: B, scan: scanOf(B, []) },
      ],
    ],
    ["a scan of another image", [{ platform: "linux/amd64", digest: A, scan: scanOf(B, []) }]],
    [
      "findings missing from the listing",
      [
        {
          platform: "linux/amd64",
          digest: A,
          scan: scanOf(A, [], { unlisted: [{ severity: "HIGH", reported: 2, listed: 0 }] }),
        },
      ],
    ],
    ["a FAILED scan", [{ platform: "linux/amd64", digest: A, scan: scanOf(A, [], { status: "FAILED" }) }]],
    [
      "a broken threshold",
      [{ platform: "linux/amd64", digest: A, scan: scanOf(A, [finding("CVE-2", "HIGH")]) }],
    ],
  ])("reads back a stored verdict summary with %s", (_name, platforms) => {
    const details = readDecision(stored(platforms));
    expect(details.kind).toBe("verdict");
    if (details.kind === "verdict") {
      expect(details.summary.reasons.items.length).toBeGreaterThan(0);
      expect(details.summary.warnings.items.map((w) => w.kind)).toContain("allowlist-expired");
    }
  });

  it("reads the reconciler's timeout record", () => {
    const reasons = {
      kind: "timeout",
      deadline: "2026-01-01T01:00:00.000Z",
      waiting: [{ platform: "linux/arm64", digest: B, status: null }],
    };
    expect(readDecision({ outcome: "timed-out", at: "2026-01-01T01:00:00.000Z", reasons })).toEqual({
      kind: "timeout",
      deadline: "2026-01-01T01:00:00.000Z",
      waiting: [{ platform: "linux/arm64", digest: B, status: null }],
    });
  });

  it("keeps anything else as unreadable instead of failing", () => {
    expect(readDecision({ outcome: "failed", at: "x", reasons: { kind: "verdict", schema: 2 } }).kind).toBe(
      "unreadable",
    );
  });
});
