import { describe, expect, it } from "vitest";
import { parseScanFindings } from "../../src/findings/index.ts";
import { edited, findingsFixture, REMOVE } from "./fixtures.ts";

const BASIC = "payments-api.amd64.basic.json";
const ENHANCED = "payments-api.arm64.enhanced.json";
const PACKAGES = "imageScanFindings.enhancedFindings[0].packageVulnerabilityDetails.vulnerablePackages";

// [title, fixture, changes, field named in the issue, value named, message]
const rows: Array<[string, string, Record<string, unknown>, string, unknown, RegExp]> = [
  [
    "a missing scan status",
    BASIC,
    { imageScanStatus: REMOVE },
    "imageScanStatus",
    undefined,
    /^is required$/,
  ],
  [
    "an unknown scan status",
    BASIC,
    { "imageScanStatus.status": "DONE" },
    "imageScanStatus.status",
    "DONE",
    /^must be one of "IN_PROGRESS", "COMPLETE"/,
  ],
  [
    "an uppercase digest",
    BASIC,
    { "imageId.imageDigest": `sha256:${"A".repeat(64)}` },
    "imageId.imageDigest",
    `sha256:${"A".repeat(64)}`,
    /lowercase hex/,
  ],
  [
    "a 63-character digest",
    BASIC,
    { "imageId.imageDigest": `sha256:${"a".repeat(63)}` },
    "imageId.imageDigest",
    `sha256:${"a".repeat(63)}`,
    /64 hex characters after sha256:, not 63/,
  ],
  [
    "a repository name with capitals",
    BASIC,
    { repositoryName: "Payments/API" },
    "repositoryName",
    "Payments/API",
    /lowercase/,
  ],
  [
    "an unknown severity",
    BASIC,
    { "imageScanFindings.findings[1].severity": "SEVERE" },
    "imageScanFindings.findings[1].severity",
    "SEVERE",
    /^must be one of CRITICAL, HIGH, MEDIUM, LOW, INFORMATIONAL, UNDEFINED, UNTRIAGED$/,
  ],
  [
    "a missing severity",
    BASIC,
    { "imageScanFindings.findings[0].severity": REMOVE },
    "imageScanFindings.findings[0].severity",
    undefined,
    /^is required$/,
  ],
  [
    "a finding without a name",
    BASIC,
    { "imageScanFindings.findings[2].name": REMOVE },
    "imageScanFindings.findings[2].name",
    undefined,
    /^is required$/,
  ],
  [
    "findings that are not an array",
    BASIC,
    { "imageScanFindings.findings": {} },
    "imageScanFindings.findings",
    {},
    /^must be an array, not an object$/,
  ],
  [
    "a negative severity count",
    BASIC,
    { "imageScanFindings.findingSeverityCounts.HIGH": -1 },
    "imageScanFindings.findingSeverityCounts.HIGH",
    -1,
    /^must be at least 0$/,
  ],
  [
    "a count under an unknown severity",
    BASIC,
    { "imageScanFindings.findingSeverityCounts.URGENT": 1 },
    "imageScanFindings.findingSeverityCounts.URGENT",
    "URGENT",
    /^is not a severity/,
  ],
  [
    "an unreadable completion time",
    BASIC,
    { "imageScanFindings.imageScanCompletedAt": "yesterday" },
    "imageScanFindings.imageScanCompletedAt",
    "yesterday",
    /epoch seconds or an ISO 8601/,
  ],
  [
    "an enhanced finding without a vulnerability id",
    ENHANCED,
    { "imageScanFindings.enhancedFindings[2].packageVulnerabilityDetails.vulnerabilityId": REMOVE },
    "imageScanFindings.enhancedFindings[2].packageVulnerabilityDetails.vulnerabilityId",
    undefined,
    /^is required$/,
  ],
  [
    "a vulnerable package without a name",
    ENHANCED,
    { [`${PACKAGES}[1].name`]: REMOVE },
    `${PACKAGES}[1].name`,
    undefined,
    /^is required$/,
  ],
  [
    "a string score",
    ENHANCED,
    { "imageScanFindings.enhancedFindings[0].score": "9.8" },
    "imageScanFindings.enhancedFindings[0].score",
    "9.8",
    /^must be a number, not a string$/,
  ],
];

describe("parseScanFindings refuses bad input, naming the field and value", () => {
  it.each(rows)("%s", (_title, fixture, changes, field, value, message) => {
    const result = parseScanFindings(edited(fixture, changes));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toEqual([{ field, value, message: expect.stringMatching(message) }]);
  });

  it("refuses a response that is not an object", () => {
    expect(parseScanFindings("findings")).toEqual({
      ok: false,
      error: [{ field: "", value: "findings", message: "must be an object, not a string" }],
    });
  });

  it("prefixes the page index when pages are given as an array", () => {
    const result = parseScanFindings([
      findingsFixture(BASIC),
      edited(BASIC, { "imageScanStatus.status": 7 }),
    ]);
    expect(result.ok ? [] : result.error.map((issue) => issue.field)).toEqual(["[1].imageScanStatus.status"]);
  });

  it("reports every problem of a page at once", () => {
    const page = edited(BASIC, {
      "imageScanStatus.status": "DONE",
      "imageScanFindings.findings[0].severity": "SEVERE",
    });
    const result = parseScanFindings(page);
    expect(result.ok ? [] : result.error.map((i) => i.field)).toEqual([
      "imageScanStatus.status",
      "imageScanFindings.findings[0].severity",
    ]);
  });

  it("accepts unknown fields AWS may add later", () => {
    const page = edited(BASIC, {
      $metadata: { httpStatusCode: 200 },
      "imageScanFindings.findings[0].newField": 1,
    });
    expect(parseScanFindings(page).ok).toBe(true);
  });

  it("accepts SDK v3 Date timestamps", () => {
    const page = edited(BASIC, {
      "imageScanFindings.imageScanCompletedAt": new Date("2026-02-03T04:05:06Z"),
    });
    const result = parseScanFindings(page);
    expect(result.ok && result.value.completedAt).toBe("2026-02-03T04:05:06.000Z");
  });

  it("accepts a FAILED scan without findings", () => {
    const result = parseScanFindings({
      repositoryName: "payments/api",
      imageId: { imageDigest: `sha256:${"0".repeat(64)}` },
      imageScanStatus: { status: "FAILED", description: "UnsupportedImageError" },
    });
    expect(result.ok && result.value).toMatchObject({ status: "FAILED", findings: [], unlisted: [] });
  });
});
