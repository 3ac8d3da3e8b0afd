import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InvalidScanFindingsError } from "../../src/findings/index.ts";
import { findingsFileName, LocalFindingsSource } from "../../src/local/adapters/LocalFindingsSource.ts";

const ROOT = new URL("../..", import.meta.url).pathname;
const image = {
  region: "us-east-1",
  repository: "portcullis/example-app",
  digest: `sha256:${"d".repeat(64)}` as const,
};

describe("LocalFindingsSource", () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "portcullis-findings-"));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each([
    ["linux/amd64", "linux-amd64.json"],
    ["linux/arm64/v8", "linux-arm64-v8.json"],
  ])("reads %s from %s", (platform, file) => {
    expect(findingsFileName(platform)).toBe(file);
  });

  it("answers for the image asked about: the scenario file with its repository and digest", async () => {
    const source = new LocalFindingsSource({
      folder: join(ROOT, "examples/findings/fail"),
      account: "000000000000",
    });
    const report = await source.scanReport({ ...image, platform: "linux/amd64" });
    expect(report).toMatchObject({
      repository: image.repository,
      registryId: "000000000000",
      digest: image.digest,
      platform: "linux/amd64",
      status: "COMPLETE",
    });
    expect(report.counts.CRITICAL).toBe(1);
    expect(report.findings.map((f) => f.id)).toContain("CVE-2023-38545");
  });

  it("reports a FAILED scan as the scenario says", async () => {
    const source = new LocalFindingsSource({
      folder: join(ROOT, "examples/findings/scan-failed"),
      account: "000000000000",
    });
    const report = await source.scanReport({ ...image, platform: "linux/arm64" });
    expect(report.status).toBe("FAILED");
    expect(report.statusDescription).toMatch(/UnsupportedImageError/);
  });

  it("says PENDING, like ECR's ScanNotFoundException, for a platform without a file", async () => {
    const source = new LocalFindingsSource({ folder: dir, account: "000000000000" });
    const report = await source.scanReport({ ...image, platform: "linux/s390x" });
    expect(report.status).toBe("PENDING");
    expect(report.statusDescription).toContain("linux-s390x.json does not exist");
  });

  it("refuses an invalid response, naming the field and value", async () => {
    await writeFile(join(dir, "linux-amd64.json"), JSON.stringify({ imageScanStatus: { status: "DONE" } }));
    const source = new LocalFindingsSource({ folder: dir, account: "000000000000" });
    const error = await source.scanReport({ ...image, platform: "linux/amd64" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidScanFindingsError);
    expect((error as InvalidScanFindingsError).issues[0]).toMatchObject({
      field: "imageScanStatus.status",
      value: "DONE",
    });
  });

  it("refuses a response with a duplicate key instead of reading it last-wins", async () => {
    const findings = '[{ "name": "CVE-2023-38545", "severity": "CRITICAL" }]';
    await writeFile(
      join(dir, "linux-riscv64.json"),
      `{ "imageScanStatus": { "status": "COMPLETE" },\n  "imageScanFindings": { "findings": ${findings}, "findings": [] } }`,
    );
    const source = new LocalFindingsSource({ folder: dir, account: "000000000000" });
    const error = await source.scanReport({ ...image, platform: "linux/riscv64" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidScanFindingsError);
    expect((error as InvalidScanFindingsError).issues).toEqual([
      expect.objectContaining({ field: "imageScanFindings.findings", value: "findings" }),
    ]);
  });

  it("refuses a file that is not JSON, naming the file", async () => {
    await writeFile(join(dir, "linux-arm64.json"), "{ not json");
    const source = new LocalFindingsSource({ folder: dir, account: "000000000000" });
    const error = await source.scanReport({ ...image, platform: "linux/arm64" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidScanFindingsError);
    expect((error as Error).message).toContain("linux-arm64.json");
  });
});
