import { describe, expect, it } from "vitest";
import { describeWarning } from "../../src/policy/describeWarning.ts";
import { evaluatePolicy, formatPolicyIssue, parsePolicy } from "../../src/policy/index.ts";
import { digestOf, policyFrom, scanOf } from "./support.ts";

const AMD = digestOf("a");
const NOW = new Date("2026-01-01T12:00:00Z");
const POLICY = `version: 1
thresholds:
  fixable: { CRITICAL: 0 }
warnExpiringWithinDays: 10
unsupportedImages:
  - repositories: ["payments/*"]
    reason: distroless static binary, scanned by the language SCA step instead
    owner: platform-team
    expires: 2026-01-05
  - repositories: ["legacy/*"]
    reason: scratch image
    owner: legacy-team
    expires: 2025-12-01
`;

function judge(status: string, statusDescription?: string, repository = "payments/api", policy = POLICY) {
  const scan = scanOf(AMD, [], {
    status: status as never,
    repository,
    ...(statusDescription && { statusDescription }),
  });
  return evaluatePolicy({
    policy: policyFrom(policy),
    repository,
    platforms: [{ platform: "linux/amd64", digest: AMD, scan }],
    now: NOW,
  });
}

describe("unsupported-image exceptions (#11 item 2)", () => {
  it.each([
    ["UNSUPPORTED_IMAGE (enhanced)", "UNSUPPORTED_IMAGE", undefined],
    [
      "FAILED with UnsupportedImageError (basic)",
      "FAILED",
      "UnsupportedImageError: The operating system and/or package manager are not supported.",
    ],
  ])(
    "passes %s with a matching exception, warning loudly that nothing was scanned",
    (_t, status, description) => {
      const verdict = judge(status, description);
      expect(verdict.outcome).toBe("pass");
      expect(verdict.platforms[0]?.exception).toMatchObject({ entry: { field: "unsupportedImages[0]" } });
      const warning = verdict.warnings.find((w) => w.kind === "unsupported-image-excepted");
      expect(warning && describeWarning(warning)).toMatch(
        /^linux\/amd64: NOT SCANNED — ECR cannot scan this image .*unsupportedImages\[0\] until 2026-01-05 \(owner platform-team/,
      );
      expect(verdict.warnings.map((w) => w.kind)).toContain("exception-expiring-soon");
    },
  );

  it.each([
    ["without a matching exception", "UNSUPPORTED_IMAGE", undefined, "other/app"],
    ["when the only matching exception expired", "UNSUPPORTED_IMAGE", undefined, "legacy/app"],
    ["for a FAILED scan that is not an unsupported image", "FAILED", "internal error", "payments/api"],
    ["for a scan still IN_PROGRESS", "IN_PROGRESS", undefined, "payments/api"],
  ])("still fails closed %s", (_t, status, description, repository) => {
    const verdict = judge(status, description, repository);
    expect(verdict.outcome).toBe("fail");
    expect(verdict.reasons.map((r) => r.kind)).toEqual(["scan-status-not-passable"]);
    expect(verdict.platforms[0]?.exception).toBeUndefined();
  });

  it("warns about an expired exception, as for the allowlist", () => {
    const verdict = judge("UNSUPPORTED_IMAGE", undefined, "legacy/app");
    const expired = verdict.warnings.find((w) => w.kind === "exception-expired");
    expect(expired && describeWarning(expired)).toBe(
      "unsupportedImages[1] (unsupported images): expired 2025-12-01 and no longer applies; renew or remove it (owner legacy-team)",
    );
  });

  it("applies an override's exceptions to its repositories only", () => {
    const policy = `version: 1
thresholds:
  fixable: { CRITICAL: 0 }
overrides:
  - repositories: ["edge/*"]
    unsupportedImages:
      - { repositories: ["edge/proxy"], reason: scratch, owner: edge, expires: 2099-12-31 }
`;
    expect(judge("UNSUPPORTED_IMAGE", undefined, "edge/proxy", policy).outcome).toBe("pass");
    expect(judge("UNSUPPORTED_IMAGE", undefined, "edge/other", policy).outcome).toBe("fail");
  });

  it.each([
    ["repositories", "  - { reason: r, owner: o, expires: 2099-01-01 }", "unsupportedImages[0].repositories"],
    ["owner", '  - { repositories: ["a/*"], reason: r, expires: 2099-01-01 }', "unsupportedImages[0].owner"],
    [
      "a real expiry date",
      '  - { repositories: ["a/*"], reason: r, owner: o, expires: 2099-02-30 }',
      "unsupportedImages[0].expires",
    ],
    [
      "known keys only",
      '  - { repositories: ["a/*"], reason: r, owner: o, expires: 2099-01-01, id: x }',
      "unsupportedImages[0]",
    ],
  ])("refuses an exception without %s, naming the field", (_t, entry, field) => {
    const parsed = parsePolicy(
      `version: 1\nthresholds:\n  fixable: { CRITICAL: 0 }\nunsupportedImages:\n${entry}\n`,
    );
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.map(formatPolicyIssue).join("\n")).toContain(field);
  });
});
