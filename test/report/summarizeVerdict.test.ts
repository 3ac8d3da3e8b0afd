import { describe, expect, it } from "vitest";
import type { Finding } from "../../src/findings/index.ts";
import { evaluatePolicy, summarizeVerdict } from "../../src/policy/index.ts";
import { isJsonValue, type JsonValue } from "../../src/release/index.ts";
import { digestOf, finding, policyFrom, scanOf } from "../policy/support.ts";

const AMD = digestOf("a");
const ARM = digestOf("b");
const NOW = new Date("2026-01-01T12:00:00Z");

const POLICY = policyFrom(`version: 1
thresholds:
  fixable: { CRITICAL: 0, HIGH: 0 }
  unfixable: { CRITICAL: 0 }
allowlist:
  - { id: CVE-2025-0001, reason: "not reachable", owner: team-a, expires: "2026-02-01" }
  - { id: CVE-2025-0002, reason: "old risk", owner: team-b, expires: "2025-06-01" }
`);

function verdictOf(amd: readonly Finding[], arm: readonly Finding[] = amd) {
  return evaluatePolicy({
    policy: POLICY,
    repository: "payments/api",
    platforms: [
      { platform: "linux/amd64", digest: AMD, scan: scanOf(AMD, amd) },
      { platform: "linux/arm64", digest: ARM, scan: scanOf(ARM, arm) },
    ],
    now: NOW,
  });
}

const many = (n: number, severity: Finding["severity"]) =>
  Array.from({ length: n }, (_, i) => finding(`CVE-2024-${String(1000 + i)}`, severity, "YES", `pkg${i}`));

describe("summarizeVerdict", () => {
  it("keeps outcome, per-platform status and counts, and is plain JSON a DynamoDB item stores", () => {
    const summary = summarizeVerdict(verdictOf([finding("CVE-2024-9", "HIGH")]));
    const json: JsonValue = summary;
    expect(isJsonValue(json)).toBe(true);
    expect(JSON.parse(JSON.stringify(summary))).toEqual(summary);
    expect(summary.outcome).toBe("fail");
    expect(summary.platforms.map((p) => [p.platform, p.status, p.counts.HIGH, p.blocking])).toEqual([
      ["linux/amd64", "COMPLETE", 1, 1],
      ["linux/arm64", "COMPLETE", 1, 1],
    ]);
    expect(summary.limits.fixable.HIGH).toBe(0);
  });

  it("merges a finding present on several platforms into one entry listing them", () => {
    const summary = summarizeVerdict(verdictOf([finding("CVE-2024-9", "HIGH")]));
    expect(summary.blocking.items).toEqual([
      {
        id: "CVE-2024-9",
        severity: "HIGH",
        fixability: "fixable",
        platforms: ["linux/amd64", "linux/arm64"],
        package: "openssl",
        installed: "1.0",
        fixedIn: null,
        link: null,
        title: null,
      },
    ]);
  });

  it("orders blocking findings most severe first and keeps at most maxFindings, counting the rest", () => {
    const summary = summarizeVerdict(
      verdictOf([...many(30, "HIGH"), finding("CVE-2024-0", "CRITICAL")], []),
      {
        maxFindings: 5,
      },
    );
    expect(summary.blocking.items).toHaveLength(5);
    expect(summary.blocking.items[0]?.severity).toBe("CRITICAL");
    expect(summary.blocking.omitted).toBe(26);
  });

  it("keeps allowlisted findings with expiry and owner, and expired entries with when they expired", () => {
    const summary = summarizeVerdict(
      verdictOf([finding("CVE-2025-0001", "HIGH"), finding("CVE-2025-0002", "LOW")], []),
    );
    expect(summary.allowlisted.items).toMatchObject([
      { id: "CVE-2025-0001", owner: "team-a", reason: "not reachable", entry: "allowlist[0]" },
    ]);
    expect(summary.allowlisted.items[0]?.expiresAt).toBe("2026-02-02T00:00:00.000Z");
    expect(summary.expiredAllowlist.items).toMatchObject([
      { id: "CVE-2025-0002", owner: "team-b", entry: "allowlist[1]" },
    ]);
    expect(summary.outcome).toBe("pass");
  });

  it("turns reasons and warnings into short sentences with their kind", () => {
    const summary = summarizeVerdict(verdictOf([finding("CVE-2024-9", "CRITICAL", "NO")], []));
    expect(summary.reasons.items).toEqual([
      {
        kind: "threshold-exceeded",
        platform: "linux/amd64",
        text: "linux/amd64: 1 unfixable CRITICAL finding, limit 0",
      },
    ]);
    expect(summary.warnings.items.map((w) => w.kind)).toContain("allowlist-expired");
  });

  it("clips long free text and drops over-long links instead of breaking them", () => {
    const long: Finding = {
      ...finding("CVE-2024-7", "HIGH"),
      package: "p".repeat(1000),
      title: "t".repeat(1000),
      link: `https://example.com/${"x".repeat(600)}`,
    };
    const item = summarizeVerdict(verdictOf([long], [])).blocking.items[0];
    expect(item?.package).toHaveLength(200);
    expect(item?.package?.endsWith("…")).toBe(true);
    expect(item?.title).toHaveLength(200);
    expect(item?.link).toBeNull();
  });

  it("stays under 20 KB with every list full", () => {
    const findings = many(500, "HIGH").map((f) => ({
      ...f,
      title: "t".repeat(300),
      link: `https://x/${f.id}`,
    }));
    const size = JSON.stringify(summarizeVerdict(verdictOf(findings))).length;
    expect(size).toBeLessThan(20_000);
  });

  it.each([-1, 1.5, Number.NaN])("refuses maxFindings %s", (max) => {
    expect(() => summarizeVerdict(verdictOf([]), { maxFindings: max })).toThrow(/whole number/);
  });
});
