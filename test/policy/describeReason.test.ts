import { describe, expect, it } from "vitest";
import {
  type AllowlistRule,
  describeReason,
  describeWarning,
  type FailureReason,
} from "../../src/policy/index.ts";
import { digestOf } from "./support.ts";

const digest = digestOf("d");
const platform = "linux/arm64";

describe("describeReason", () => {
  it.each<[FailureReason, string]>([
    [{ kind: "no-platforms" }, "no platform images to evaluate (fail closed)"],
    [{ kind: "duplicate-platform", platform }, "linux/arm64: given more than once"],
    [{ kind: "scan-missing", platform, digest }, `linux/arm64: no scan result for ${digest} (fail closed)`],
    [
      { kind: "scan-mismatch", platform, digest, field: "digest", expected: digest, actual: digestOf("e") },
      `linux/arm64: scan is for digest ${digestOf("e")}, expected ${digest}`,
    ],
    [
      { kind: "scan-status-not-passable", platform, digest, status: "IN_PROGRESS", pending: true },
      "linux/arm64: scan still IN_PROGRESS when the decision was due",
    ],
    [
      {
        kind: "scan-status-not-passable",
        platform,
        digest,
        status: "FAILED",
        pending: false,
        description: "boom",
      },
      "linux/arm64: scan status FAILED (only COMPLETE or ACTIVE can pass): boom",
    ],
    [
      { kind: "findings-incomplete", platform, digest, severity: "LOW", reported: 4, listed: 1 },
      "linux/arm64: AWS counts 4 LOW findings but 1 are listed (findings not all listed yet, or pages missing)",
    ],
    [
      {
        kind: "findings-incomplete",
        platform,
        digest,
        severity: "CRITICAL",
        reported: 1,
        listed: 0,
        countedBy: "scan-event",
      },
      "linux/arm64: the scan event counted 1 CRITICAL findings but 0 are listed (findings not all listed yet, or pages missing)",
    ],
    [
      {
        kind: "threshold-exceeded",
        platform,
        digest,
        severity: "HIGH",
        fixability: "unfixable",
        limit: 5,
        actual: 6,
      },
      "linux/arm64: 6 unfixable HIGH findings, limit 5",
    ],
  ])("describes %j", (reason, text) => {
    expect(describeReason(reason)).toBe(text);
  });
});

describe("describeWarning", () => {
  const entry: AllowlistRule = {
    id: "CVE-1",
    reason: "r",
    owner: "o@example.com",
    expires: "2026-01-31",
    field: "allowlist[0]",
  };
  it.each([
    [
      { kind: "allowlist-expiring-soon", entry, expiresAt: "", daysLeft: 1 } as const,
      "allowlist[0] CVE-1: expires 2026-01-31 (1 day left; owner o@example.com)",
    ],
    [
      { kind: "allowlist-expired", entry, expiredAt: "" } as const,
      "allowlist[0] CVE-1: expired 2026-01-31 and no longer applies; renew or remove it (owner o@example.com)",
    ],
    [{ kind: "allowlist-unused", entry } as const, "allowlist[0] CVE-1: matches no finding; remove it?"],
  ])("describes %s", (warning, text) => {
    expect(describeWarning(warning)).toBe(text);
  });
});
