import { describe, expect, it } from "vitest";
import { parseScanFindings } from "../../src/findings/index.ts";
import { edited, findingsFixture, REMOVE } from "./fixtures.ts";

const AMD = "sha256:618eb0633bbe85029ecfbff185792f1b8d55dae4b4a02321db93872a186b4dab";
const ARM = "sha256:78c54fa1e9dafa86ca6d9e61b0e69564ec353f77df5be1422557e2e8e24b0a84";

function parsed(input: unknown, platform?: string) {
  const result = parseScanFindings(input, { platform });
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value;
}

describe("parseScanFindings: basic findings", () => {
  const report = parsed(findingsFixture("payments-api.amd64.basic.json"), "linux/amd64");

  it("reads repository, digest, status and completion time", () => {
    expect(report).toMatchObject({
      repository: "payments/api",
      registryId: "123456789012",
      digest: AMD,
      platform: "linux/amd64",
      status: "COMPLETE",
      completedAt: "2026-01-01T00:00:00.000Z",
      vulnerabilitySourceUpdatedAt: "2025-12-31T23:00:00.000Z",
    });
  });

  it("maps package, version, CVSS and link from attributes, with fix and exploit unknown", () => {
    expect(report.findings[0]).toEqual({
      id: "CVE-2023-38545",
      severity: "CRITICAL",
      package: "curl",
      installedVersion: "7.88.1-10",
      fixAvailable: "UNKNOWN",
      exploitAvailable: "UNKNOWN",
      score: 9.8,
      link: "https://security-tracker.debian.org/tracker/CVE-2023-38545",
      description: "CVE-2023-38545 in curl.",
      platform: "linux/amd64",
      source: "basic",
    });
  });

  it.each([
    ["prefers the CVSS3 score over CVSS2", 1, 7.8],
    ["falls back to the CVSS2 score", 2, 5],
    ["leaves the score out when there is none", 3, undefined],
  ])("%s", (_title, index, score) => {
    expect(report.findings[index]?.score).toBe(score);
  });

  it("recomputes counts with every severity present and finds nothing unlisted", () => {
    expect(report.counts).toEqual({
      CRITICAL: 1,
      HIGH: 1,
      MEDIUM: 1,
      LOW: 1,
      INFORMATIONAL: 0,
      UNDEFINED: 0,
    });
    expect(report.reportedCounts).toEqual(report.counts);
    expect(report.unlisted).toEqual([]);
  });
});

describe("parseScanFindings: enhanced findings", () => {
  const report = parsed(findingsFixture("payments-api.arm64.enhanced.json"), "linux/arm64");
  const find = (pkg: string) => report.findings.find((f) => f.package === pkg);

  it("reads an ISO completion time as the AWS CLI prints it", () => {
    expect(report).toMatchObject({ digest: ARM, status: "ACTIVE", completedAt: "2026-01-01T00:05:00.000Z" });
  });

  it("makes one finding per vulnerable package", () => {
    expect(report.findings.map((f) => `${f.id} ${f.package}`)).toEqual([
      "CVE-2023-38545 curl",
      "CVE-2023-38545 libcurl4",
      "CVE-2023-4911 libc6",
      "CVE-2023-4911 libc-bin",
      "CVE-2005-2541 tar",
      "CVE-2024-0001 zlib1g",
    ]);
  });

  it("maps fix version, exploit, score, link and title", () => {
    expect(find("curl")).toEqual({
      id: "CVE-2023-38545",
      severity: "CRITICAL",
      package: "curl",
      installedVersion: "7.88.1-10",
      fixedInVersion: "7.88.1-10+deb12u4",
      fixAvailable: "YES",
      exploitAvailable: "YES",
      score: 9.8,
      link: "https://security-tracker.debian.org/tracker/CVE-2023-38545",
      title: "CVE-2023-38545 - curl, libcurl4",
      description: "CVE-2023-38545 description.",
      platform: "linux/arm64",
      source: "enhanced",
    });
  });

  it.each([
    ["a PARTIAL fix with a fixed version is YES for that package", "libc6", "YES", "2.36-9+deb12u3"],
    ["a PARTIAL fix with NotAvailable is NO for that package", "libc-bin", "NO", undefined],
    ["fixAvailable NO stays NO", "tar", "NO", undefined],
    ["no fix information at all is UNKNOWN", "zlib1g", "UNKNOWN", undefined],
  ])("%s", (_title, pkg, fixAvailable, fixedInVersion) => {
    expect(find(pkg)?.fixAvailable).toBe(fixAvailable);
    expect(find(pkg)?.fixedInVersion).toBe(fixedInVersion);
  });

  it("normalizes UNTRIAGED to UNDEFINED and prints epoch:version-release", () => {
    expect(find("zlib1g")).toMatchObject({ severity: "UNDEFINED", installedVersion: "1:1.2.13.dfsg-1" });
  });

  it("takes the highest CVSS v3 base score when Inspector gives no score", () => {
    expect(find("tar")?.score).toBe(5);
  });

  it("leaves out CLOSED findings", () => {
    expect(report.findings.some((f) => f.id === "CVE-2022-0001")).toBe(false);
  });

  it("counts per package without flagging AWS's per-finding counts as incomplete", () => {
    expect(report.counts).toEqual({
      CRITICAL: 2,
      HIGH: 2,
      MEDIUM: 0,
      LOW: 1,
      INFORMATIONAL: 0,
      UNDEFINED: 1,
    });
    expect(report.reportedCounts).toMatchObject({ CRITICAL: 1, HIGH: 1, LOW: 1, UNDEFINED: 1 });
    expect(report.unlisted).toEqual([]);
  });
});

describe("parseScanFindings: pages", () => {
  it("merges pages and de-duplicates a finding repeated across them", () => {
    const single = parsed(findingsFixture("payments-api.arm64.enhanced.json"), "linux/arm64");
    const paged = parsed(findingsFixture("payments-api.arm64.enhanced.pages.json"), "linux/arm64");
    expect(paged).toEqual(single);
  });

  it("keeps the more severe copy when duplicates disagree", () => {
    const low = edited("payments-api.amd64.basic.json", { "imageScanFindings.findings[3].severity": "LOW" });
    const high = edited("payments-api.amd64.basic.json", {
      "imageScanFindings.findings[3].severity": "HIGH",
    });
    const report = parsed([low, high]);
    expect(report.findings.filter((f) => f.id === "CVE-2005-2541").map((f) => f.severity)).toEqual(["HIGH"]);
  });

  it("flags severities where AWS reports more findings than the pages list", () => {
    const page = findingsFixture("payments-api.amd64.basic.json");
    const all = (page as { imageScanFindings: { findings: unknown[] } }).imageScanFindings.findings;
    const truncated = edited("payments-api.amd64.basic.json", {
      "imageScanFindings.findings": all.slice(0, 2),
    });
    expect(parsed(truncated).unlisted).toEqual([
      { severity: "MEDIUM", reported: 1, listed: 0 },
      { severity: "LOW", reported: 1, listed: 0 },
    ]);
  });

  it.each([
    ["repositoryName", "payments/web"],
    ["imageId.imageDigest", ARM],
    ["imageScanStatus.status", "FAILED"],
    ["registryId", "210987654321"],
  ])("refuses pages whose %s differs", (field, value) => {
    const second = edited("payments-api.amd64.basic.json", { [field]: value });
    const result = parseScanFindings([findingsFixture("payments-api.amd64.basic.json"), second]);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toHaveLength(1);
      expect(result.error[0]).toMatchObject({ field: `[1].${field}`, value });
      expect(result.error[0]?.message).toMatch(/^differs from page 0/);
    }
  });

  it.each([
    [
      "a single response",
      () => edited("payments-api.amd64.basic.json", { nextToken: "eyJwYWdlIjoyfQ==" }),
      "nextToken",
    ],
    [
      "a single response without findingSeverityCounts",
      () =>
        edited("payments-api.amd64.basic.json", {
          nextToken: "eyJwYWdlIjoyfQ==",
          "imageScanFindings.findingSeverityCounts": REMOVE,
        }),
      "nextToken",
    ],
    [
      "the last of several pages",
      () => {
        const [first] = findingsFixture("payments-api.arm64.enhanced.pages.json") as unknown[];
        return [first, first];
      },
      "[1].nextToken",
    ],
    [
      "AWS CLI output cut short by --max-items",
      () => edited("payments-api.amd64.basic.json", { NextToken: "eyJuZXh0VG9rZW4iOm51bGx9" }),
      "NextToken",
    ],
  ])("refuses %s that still carries a pagination token, as cut short", (_title, input, field) => {
    const result = parseScanFindings(input());
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toEqual([
        expect.objectContaining({
          field,
          message: expect.stringMatching(/^is still set on the last page: the response was cut short/),
        }),
      ]);
    }
  });

  it("accepts a token on every page but the last", () => {
    const pages = findingsFixture("payments-api.arm64.enhanced.pages.json") as Array<Record<string, unknown>>;
    expect(pages[0]).toHaveProperty("nextToken");
    expect(parseScanFindings(pages).ok).toBe(true);
  });

  it("refuses an empty array of pages", () => {
    const result = parseScanFindings([]);
    expect(result.ok ? undefined : result.error[0]?.message).toBe("must contain at least one page");
  });
});

describe("parseScanFindings: AWS's published shapes", () => {
  it("refuses the shape as published, whose nextToken says more pages follow", () => {
    const published = edited("aws-shape.basic.json", { nextToken: "<opaque token or absent>" });
    const result = parseScanFindings(published);
    expect(result.ok ? [] : result.error.map((issue) => issue.field)).toEqual(["nextToken"]);
  });

  it.each([
    ["aws-shape.basic.json", "COMPLETE", ["CVE-XXXX-YYYY"]],
    ["aws-shape.enhanced.json", "ACTIVE", ["CVE-XXXX-YYYY"]],
  ])("accepts %s once a valid digest is substituted", (file, status, ids) => {
    const report = parsed(findingsFixture(file));
    expect(report.status).toBe(status);
    expect(report.findings.map((f) => f.id)).toEqual(ids);
    expect(report.completedAt).toBe("2023-11-14T22:13:20.000Z");
  });

  it("reports the shape's counts (1 CRITICAL, 2 HIGH) as unlisted against its single HIGH finding", () => {
    expect(parsed(findingsFixture("aws-shape.basic.json")).unlisted).toEqual([
      { severity: "CRITICAL", reported: 1, listed: 0 },
      { severity: "HIGH", reported: 2, listed: 1 },
    ]);
  });

  it.each(["aws-shape.basic.placeholder.json", "aws-shape.enhanced.placeholder.json"])(
    "refuses the placeholder digest in %s, naming the field",
    (file) => {
      const result = parseScanFindings(findingsFixture(file));
      expect(result.ok ? [] : result.error).toEqual([
        {
          field: "imageId.imageDigest",
          value: "sha256:<digest>",
          message: "must contain only hex characters after sha256:",
        },
      ]);
    },
  );
});
