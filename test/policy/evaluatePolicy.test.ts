import { describe, expect, it } from "vitest";
import { SCAN_STATUSES, type ScanStatus } from "../../src/core/index.ts";
import type { Finding } from "../../src/findings/index.ts";
import { evaluatePolicy, type Policy } from "../../src/policy/index.ts";
import { digestOf, finding, policyFrom, scanOf } from "./support.ts";

const AMD = digestOf("a");
const ARM = digestOf("b");
const NOW = new Date("2026-01-01T12:00:00Z");

const BASE = `version: 1
thresholds:
  fixable: { CRITICAL: 0, HIGH: 0, MEDIUM: 2 }
  unfixable: { CRITICAL: 0, HIGH: 5 }
`;

function judge(
  findings: readonly Finding[],
  policy: Policy = policyFrom(BASE),
  repository = "payments/api",
  now = NOW,
) {
  return evaluatePolicy({
    policy,
    repository,
    platforms: [{ platform: "linux/amd64", digest: AMD, scan: scanOf(AMD, findings) }],
    now,
  });
}

const times = (n: number, severity: Finding["severity"], fix: Finding["fixAvailable"]) =>
  Array.from({ length: n }, (_, i) => finding(`CVE-2025-${1000 + i}`, severity, fix));

describe("evaluatePolicy: thresholds", () => {
  it.each([
    ["no findings", [], "pass"],
    ["a fixable HIGH over a limit of 0", times(1, "HIGH", "YES"), "fail"],
    ["MEDIUM exactly at its limit of 2", times(2, "MEDIUM", "YES"), "pass"],
    ["MEDIUM one over its limit of 2", times(3, "MEDIUM", "YES"), "fail"],
    ["unfixable HIGH exactly at its limit of 5", times(5, "HIGH", "NO"), "pass"],
    ["unfixable HIGH one over its limit of 5", times(6, "HIGH", "NO"), "fail"],
    ["an unfixable CRITICAL", times(1, "CRITICAL", "NO"), "fail"],
    ["a PARTIAL fix, counted as fixable", times(1, "HIGH", "PARTIAL"), "fail"],
    ["100 LOW findings, LOW having no limit", times(100, "LOW", "YES"), "pass"],
    ["an UNDEFINED finding, UNDEFINED having no limit", times(1, "UNDEFINED", "YES"), "pass"],
  ])("%s → %s", (_title, findings, outcome) => {
    expect(judge(findings).outcome).toBe(outcome);
  });

  it("names the broken threshold and lists every finding in that cell as blocking", () => {
    const verdict = judge([...times(3, "MEDIUM", "YES"), finding("CVE-9", "MEDIUM", "NO")]);
    expect(verdict.reasons).toEqual([
      {
        kind: "threshold-exceeded",
        platform: "linux/amd64",
        digest: AMD,
        severity: "MEDIUM",
        fixability: "fixable",
        limit: 2,
        actual: 3,
      },
    ]);
    const blocking = verdict.platforms[0]?.blocking ?? [];
    expect(blocking.map((b) => b.finding.id)).toEqual(["CVE-2025-1000", "CVE-2025-1001", "CVE-2025-1002"]);
    expect(blocking[0]?.threshold).toEqual({
      severity: "MEDIUM",
      fixability: "fixable",
      limit: 2,
      actual: 3,
    });
    expect(verdict.platforms[0]?.counted.unfixable.MEDIUM).toBe(1);
  });

  it("reports one reason per broken cell", () => {
    const verdict = judge([
      ...times(1, "CRITICAL", "YES"),
      ...times(1, "CRITICAL", "NO"),
      ...times(1, "HIGH", "YES"),
    ]);
    expect(
      verdict.reasons.map((r) => r.kind === "threshold-exceeded" && `${r.fixability} ${r.severity}`),
    ).toEqual(["fixable CRITICAL", "fixable HIGH", "unfixable CRITICAL"]);
  });
});

describe("evaluatePolicy: unknownFix", () => {
  const unknownHigh = times(1, "HIGH", "UNKNOWN");
  it.each([
    ["fixable (the default): an unknown-fix HIGH breaks the fixable limit of 0", "", "fail"],
    ["unfixable: the same HIGH fits the unfixable limit of 5", "unknownFix: unfixable\n", "pass"],
  ])("%s", (_title, extra, outcome) => {
    const verdict = judge(unknownHigh, policyFrom(BASE + extra));
    expect(verdict.outcome).toBe(outcome);
    expect(verdict.policy.unknownFix).toBe(extra ? "unfixable" : "fixable");
  });
});

const withEntry = (expires: string, more = "") =>
  policyFrom(`${BASE}allowlist:
  - id: cve-2025-1000
    reason: not reachable
    owner: team@example.com
    expires: ${expires}
${more}`);

describe("evaluatePolicy: allowlist", () => {
  const critical = times(1, "CRITICAL", "YES");

  it("exempts a finding while its entry is active (ids compared case-insensitively)", () => {
    const verdict = judge(critical, withEntry("2026-06-30"));
    expect(verdict.outcome).toBe("pass");
    expect(verdict.platforms[0]?.allowlisted).toEqual([
      {
        finding: critical[0],
        fixability: "fixable",
        entry: {
          id: "cve-2025-1000",
          reason: "not reachable",
          owner: "team@example.com",
          expires: "2026-06-30",
          field: "allowlist[0]",
        },
        expiresAt: "2026-07-01T00:00:00.000Z",
      },
    ]);
    expect(verdict.platforms[0]?.counted.fixable.CRITICAL).toBe(0);
  });

  it.each([
    ["the last millisecond of the expiry day (UTC)", "2026-01-01T23:59:59.999Z", "pass"],
    ["midnight UTC after the expiry day", "2026-01-02T00:00:00.000Z", "fail"],
  ])("an entry expiring 2026-01-01 at %s → %s", (_title, now, outcome) => {
    expect(judge(critical, withEntry("2026-01-01"), "payments/api", new Date(now)).outcome).toBe(outcome);
  });

  it("counts a finding again once its entry expired, and reports the entry", () => {
    const verdict = judge(critical, withEntry("2025-12-31"));
    expect(verdict.outcome).toBe("fail");
    expect(verdict.reasons[0]).toMatchObject({ kind: "threshold-exceeded", severity: "CRITICAL", actual: 1 });
    expect(verdict.platforms[0]?.expiredAllowlist).toMatchObject([
      { finding: critical[0], entry: { field: "allowlist[0]" }, expiredAt: "2026-01-01T00:00:00.000Z" },
    ]);
    expect(verdict.platforms[0]?.blocking.map((b) => b.finding.id)).toEqual(["CVE-2025-1000"]);
    expect(verdict.warnings).toMatchObject([
      { kind: "allowlist-expired", expiredAt: "2026-01-01T00:00:00.000Z" },
    ]);
  });

  it("lets an expired entry's finding pass when it fits the thresholds anyway (expired = no longer applies)", () => {
    const verdict = judge(times(1, "MEDIUM", "YES"), withEntry("2025-06-30"));
    expect(verdict.outcome).toBe("pass");
    expect(verdict.platforms[0]?.expiredAllowlist).toHaveLength(1);
  });

  it("prefers an active entry over an expired one for the same id", () => {
    const policy = withEntry(
      "2025-01-01",
      "  - { id: CVE-2025-1000, reason: renewed, owner: o, expires: 2026-12-31 }\n",
    );
    const verdict = judge(critical, policy);
    expect(verdict.outcome).toBe("pass");
    expect(verdict.platforms[0]?.allowlisted[0]?.entry.field).toBe("allowlist[1]");
  });

  it.each([
    ["13.5 days left, within 14", "2026-01-14", [{ kind: "allowlist-expiring-soon", daysLeft: 14 }]],
    ["14.5 days left, beyond 14", "2026-01-15", []],
  ])("warns about an entry with %s", (_title, expires, warnings) => {
    expect(judge(critical, withEntry(expires)).warnings).toMatchObject(warnings);
  });

  it("applies warnExpiringWithinDays from the policy", () => {
    const policy = policyFrom(`${BASE}warnExpiringWithinDays: 60
allowlist: [{ id: CVE-2025-1000, reason: r, owner: o, expires: 2026-02-15 }]
`);
    expect(judge(critical, policy).warnings).toMatchObject([
      { kind: "allowlist-expiring-soon", daysLeft: 46 },
    ]);
  });

  it.each([
    ["a matching repository glob", "payments/*", "pass"],
    ["another repository's glob", "web/*", "fail"],
  ])("scopes an entry by %s", (_title, glob, outcome) => {
    expect(judge(critical, withEntry("2026-06-30", `    repositories: ["${glob}"]\n`)).outcome).toBe(outcome);
  });

  it("warns about an active entry that matched no finding on any platform", () => {
    const verdict = judge([finding("CVE-2099-0001", "LOW")], withEntry("2026-06-30"));
    expect(verdict.outcome).toBe("pass");
    expect(verdict.warnings).toMatchObject([{ kind: "allowlist-unused", entry: { id: "cve-2025-1000" } }]);
  });

  it("does not call an entry unused when a platform's scan is missing", () => {
    const verdict = evaluatePolicy({
      policy: withEntry("2026-06-30"),
      repository: "payments/api",
      platforms: [{ platform: "linux/amd64", digest: AMD }],
      now: NOW,
    });
    expect(verdict.warnings).toEqual([]);
  });
});

describe("evaluatePolicy: an omitted severity fails safe", () => {
  it.each([
    ["a fixable CRITICAL under `fixable: { HIGH: 0 }`", "fixable: { HIGH: 0 }", "CRITICAL", "YES"],
    ["a fixable HIGH under `fixable: { MEDIUM: 5 }`", "fixable: { MEDIUM: 5 }", "HIGH", "YES"],
    ["an unfixable CRITICAL under `unfixable: { LOW: 9 }`", "unfixable: { LOW: 9 }", "CRITICAL", "NO"],
  ] as const)("fails %s", (_title, table, severity, fix) => {
    const verdict = judge(times(1, severity, fix), policyFrom(`version: 1\nthresholds:\n  ${table}\n`));
    expect(verdict.outcome).toBe("fail");
    expect(verdict.reasons).toEqual([
      expect.objectContaining({ kind: "threshold-exceeded", severity, limit: 0, actual: 1 }),
    ]);
  });

  it("passes a CRITICAL only where the policy says null", () => {
    const policy = policyFrom("version: 1\nthresholds:\n  fixable: { CRITICAL: null, HIGH: 0 }\n");
    expect(judge(times(1, "CRITICAL", "YES"), policy).outcome).toBe("pass");
  });
});

describe("evaluatePolicy: overrides", () => {
  const policy = policyFrom(`${BASE}overrides:
  - repositories: ["legacy/**"]
    thresholds: { fixable: { HIGH: 3 } }
    onNewFinding: demote
`);
  it.each([
    ["a repository the override matches", "legacy/billing/api", "pass", "demote", [0]],
    ["a repository it does not match", "payments/api", "fail", "notify", []],
  ])("relaxes the HIGH limit for %s", (_title, repository, outcome, onNewFinding, applied) => {
    const scan = { ...scanOf(AMD, times(3, "HIGH", "YES")), repository };
    const verdict = evaluatePolicy({
      policy,
      repository,
      platforms: [{ platform: "linux/amd64", digest: AMD, scan }],
      now: NOW,
    });
    expect(verdict.outcome).toBe(outcome);
    expect(verdict.policy).toMatchObject({ onNewFinding, appliedOverrides: applied });
  });
});

describe("evaluatePolicy: fail closed", () => {
  const policy = policyFrom(BASE);
  const run = (platforms: Parameters<typeof evaluatePolicy>[0]["platforms"], repository = "payments/api") =>
    evaluatePolicy({ policy, repository, platforms, now: NOW });

  it.each(
    SCAN_STATUSES.map((status): [ScanStatus, string] => [
      status,
      ["COMPLETE", "ACTIVE"].includes(status) ? "pass" : "fail",
    ]),
  )("scan status %s → %s", (status, outcome) => {
    const verdict = run([{ platform: "linux/amd64", digest: AMD, scan: scanOf(AMD, [], { status }) }]);
    expect(verdict.outcome).toBe(outcome);
    expect(verdict.platforms[0]?.status).toBe(status);
    if (outcome === "fail") {
      expect(verdict.reasons).toEqual([
        {
          kind: "scan-status-not-passable",
          platform: "linux/amd64",
          digest: AMD,
          status,
          pending: ["IN_PROGRESS", "PENDING"].includes(status),
        },
      ]);
    }
  });

  it("carries the status description into the reason", () => {
    const scan = scanOf(AMD, [], {
      status: "UNSUPPORTED_IMAGE",
      statusDescription: "UnsupportedImageError: windows",
    });
    expect(run([{ platform: "linux/amd64", digest: AMD, scan }]).reasons[0]).toMatchObject({
      description: "UnsupportedImageError: windows",
    });
  });

  it("fails a platform without a scan", () => {
    const verdict = run([{ platform: "linux/amd64", digest: AMD }]);
    expect(verdict.outcome).toBe("fail");
    expect(verdict.platforms[0]).toMatchObject({ status: "MISSING", outcome: "fail" });
    expect(verdict.reasons).toEqual([{ kind: "scan-missing", platform: "linux/amd64", digest: AMD }]);
  });

  it("fails when there are no platforms", () => {
    expect(run([])).toMatchObject({ outcome: "fail", reasons: [{ kind: "no-platforms" }], platforms: [] });
  });

  it("fails when a platform is given twice", () => {
    const scan = scanOf(AMD, []);
    const verdict = run([
      { platform: "linux/amd64", digest: AMD, scan },
      { platform: "linux/amd64", digest: AMD, scan },
    ]);
    expect(verdict.reasons).toEqual([{ kind: "duplicate-platform", platform: "linux/amd64" }]);
  });

  it.each([
    ["another image's digest", { digest: ARM }, { field: "digest", expected: AMD, actual: ARM }],
    [
      "another repository",
      { repository: "payments/web" },
      { field: "repository", expected: "payments/api", actual: "payments/web" },
    ],
  ])("fails a scan of %s", (_title, changes, mismatch) => {
    const verdict = run([{ platform: "linux/amd64", digest: AMD, scan: scanOf(AMD, [], changes) }]);
    expect(verdict.reasons).toEqual([
      { kind: "scan-mismatch", platform: "linux/amd64", digest: AMD, ...mismatch },
    ]);
  });

  it("fails when AWS counted more findings than the pages list", () => {
    const scan = scanOf(AMD, [], { unlisted: [{ severity: "CRITICAL", reported: 3, listed: 0 }] });
    expect(run([{ platform: "linux/amd64", digest: AMD, scan }]).reasons).toEqual([
      {
        kind: "findings-incomplete",
        platform: "linux/amd64",
        digest: AMD,
        severity: "CRITICAL",
        reported: 3,
        listed: 0,
      },
    ]);
  });

  it("fails the whole candidate when one of two platforms fails", () => {
    const verdict = run([
      { platform: "linux/amd64", digest: AMD, scan: scanOf(AMD, times(1, "LOW", "YES")) },
      { platform: "linux/arm64", digest: ARM, scan: scanOf(ARM, times(1, "CRITICAL", "YES")) },
    ]);
    expect(verdict.outcome).toBe("fail");
    expect(verdict.platforms.map((p) => [p.platform, p.outcome])).toEqual([
      ["linux/amd64", "pass"],
      ["linux/arm64", "fail"],
    ]);
    expect(verdict.reasons).toMatchObject([{ kind: "threshold-exceeded", platform: "linux/arm64" }]);
  });

  it("passes when every platform passes", () => {
    const verdict = run([
      { platform: "linux/amd64", digest: AMD, scan: scanOf(AMD, []) },
      { platform: "linux/arm64", digest: ARM, scan: scanOf(ARM, [], { status: "ACTIVE" }) },
    ]);
    expect(verdict).toMatchObject({
      outcome: "pass",
      reasons: [],
      warnings: [],
      evaluatedAt: NOW.toISOString(),
    });
  });
});

describe("evaluatePolicy: purity", () => {
  it("returns the same plain-data verdict for the same input and leaves the input untouched", () => {
    const findings = times(3, "MEDIUM", "YES");
    const input = {
      policy: withEntry("2026-01-05"),
      repository: "payments/api",
      platforms: [{ platform: "linux/amd64", digest: AMD, scan: scanOf(AMD, findings) }],
      now: NOW,
    };
    const before = structuredClone(input);
    const first = evaluatePolicy(input);
    expect(evaluatePolicy(input)).toEqual(first);
    expect(input).toEqual(before);
    expect(JSON.parse(JSON.stringify(first))).toEqual(first);
  });
});
