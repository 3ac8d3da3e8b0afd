import { describe, expect, it } from "vitest";
import { policyForRepository } from "../../src/policy/index.ts";
import { policyFrom } from "./support.ts";

const policy = policyFrom(`version: 1
thresholds:
  fixable: { CRITICAL: 0, HIGH: 0, MEDIUM: 10 }
  unfixable: { CRITICAL: 0 }
allowlist:
  - { id: CVE-1, reason: r, owner: o, expires: 2030-01-01 }
  - { id: CVE-2, reason: r, owner: o, expires: 2030-01-01, repositories: ["payments/*"] }
overrides:
  - repositories: ["legacy/**"]
    thresholds: { fixable: { HIGH: 3, MEDIUM: null } }
    allowlist:
      - { id: CVE-3, reason: r, owner: o, expires: 2030-01-01 }
      - { id: CVE-4, reason: r, owner: o, expires: 2030-01-01, repositories: ["legacy/billing"] }
    scan: { timeoutMinutes: 120 }
  - repositories: ["legacy/billing", "payments/*"]
    thresholds: { fixable: { HIGH: 1 }, unfixable: { HIGH: 2 } }
    onNewFinding: demote
    unknownFix: unfixable
`);

describe("policyForRepository", () => {
  it("uses the top level alone where no override matches, every severity resolved", () => {
    const resolved = policyForRepository(policy, "web/site");
    expect(resolved.thresholds).toEqual({
      fixable: { CRITICAL: 0, HIGH: 0, MEDIUM: 10, LOW: null, INFORMATIONAL: null, UNDEFINED: null },
      unfixable: { CRITICAL: 0, HIGH: null, MEDIUM: null, LOW: null, INFORMATIONAL: null, UNDEFINED: null },
    });
    expect(resolved.allowlist.map((e) => e.id)).toEqual(["CVE-1"]);
    expect(resolved).toMatchObject({
      appliedOverrides: [],
      onNewFinding: "notify",
      scan: { timeoutMinutes: 60 },
    });
  });

  it("scopes allowlist entries by their own repository globs", () => {
    expect(policyForRepository(policy, "payments/api").allowlist.map((e) => [e.id, e.field])).toEqual([
      ["CVE-1", "allowlist[0]"],
      ["CVE-2", "allowlist[1]"],
    ]);
  });

  it("merges an override per severity: listed limits replace, null unlimits, others stay", () => {
    const resolved = policyForRepository(policy, "legacy/reports/api");
    expect(resolved.appliedOverrides).toEqual([0]);
    expect(resolved.thresholds.fixable).toMatchObject({ CRITICAL: 0, HIGH: 3, MEDIUM: null });
    expect(resolved.scan).toEqual({ timeoutMinutes: 120 });
    expect(resolved.allowlist.map((e) => e.field)).toEqual(["allowlist[0]", "overrides[0].allowlist[0]"]);
  });

  it("applies every matching override in file order, the later winning", () => {
    const resolved = policyForRepository(policy, "legacy/billing");
    expect(resolved.appliedOverrides).toEqual([0, 1]);
    expect(resolved.thresholds.fixable).toMatchObject({ CRITICAL: 0, HIGH: 1, MEDIUM: null });
    expect(resolved.thresholds.unfixable).toMatchObject({ CRITICAL: 0, HIGH: 2 });
    expect(resolved).toMatchObject({
      onNewFinding: "demote",
      unknownFix: "unfixable",
      scan: { timeoutMinutes: 120 },
    });
    expect(resolved.allowlist.map((e) => e.id)).toEqual(["CVE-1", "CVE-3", "CVE-4"]);
  });

  it("keeps an override's scoped entry away from other repositories the override covers", () => {
    expect(policyForRepository(policy, "legacy/other").allowlist.map((e) => e.id)).toEqual([
      "CVE-1",
      "CVE-3",
    ]);
  });
});

describe("policyForRepository: omission fails safe", () => {
  const failSafe = policyFrom(`version: 1
thresholds:
  fixable: { HIGH: 0 }
overrides:
  - repositories: ["loose/*"]
    thresholds: { fixable: { HIGH: null } }
  - repositories: ["enhanced/*"]
    thresholds: { unfixable: { MEDIUM: 2 } }
  - repositories: ["legacy/*"]
    thresholds: { fixable: { HIGH: 3 } }
`);

  it("limits a CRITICAL left out to 0 when HIGH is limited", () => {
    expect(policyForRepository(failSafe, "web/site").thresholds.fixable).toMatchObject({
      CRITICAL: 0,
      HIGH: 0,
      MEDIUM: null,
    });
  });

  it("keeps CRITICAL at 0 when an override unlimits HIGH (left out in the override = kept)", () => {
    expect(policyForRepository(failSafe, "loose/api").thresholds.fixable).toMatchObject({
      CRITICAL: 0,
      HIGH: null,
    });
  });

  it("limits the severities above an override's limit in a table the top level left out", () => {
    expect(policyForRepository(failSafe, "enhanced/api").thresholds.unfixable).toEqual({
      CRITICAL: 0,
      HIGH: 0,
      MEDIUM: 2,
      LOW: null,
      INFORMATIONAL: null,
      UNDEFINED: null,
    });
  });

  it("does not raise a CRITICAL the top level limited to 0 when an override relaxes HIGH", () => {
    expect(policyForRepository(failSafe, "legacy/api").thresholds.fixable).toMatchObject({
      CRITICAL: 0,
      HIGH: 3,
    });
  });
});
