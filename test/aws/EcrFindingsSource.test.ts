import { readFileSync } from "node:fs";
import {
  DescribeImageScanFindingsCommand,
  ECRClient,
  RepositoryNotFoundException,
  ScanNotFoundException,
} from "@aws-sdk/client-ecr";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { EcrFindingsSource } from "../../src/aws/EcrFindingsSource.ts";
import { ScanFindingsError } from "../../src/aws/errors.ts";
import { regionalClients } from "../../src/aws/regionalClients.ts";
import { InvalidScanFindingsError } from "../../src/findings/index.ts";

const ARM = "sha256:78c54fa1e9dafa86ca6d9e61b0e69564ec353f77df5be1422557e2e8e24b0a84";
const AMD = "sha256:618eb0633bbe85029ecfbff185792f1b8d55dae4b4a02321db93872a186b4dab";
const ecrMock = mockClient(ECRClient);
afterEach(() => ecrMock.reset());

function fixture(name: string): Record<string, unknown>[] | Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../fixtures/findings/${name}`, import.meta.url), "utf8"));
}

/** Pages as SDK v3 returns them: dates as Date, plus $metadata. */
function sdkPage(page: Record<string, unknown>) {
  const findings = page.imageScanFindings as Record<string, unknown>;
  return {
    ...page,
    imageScanFindings: {
      ...findings,
      imageScanCompletedAt: toDate(findings.imageScanCompletedAt),
      vulnerabilitySourceUpdatedAt: toDate(findings.vulnerabilitySourceUpdatedAt),
    },
    $metadata: { httpStatusCode: 200 },
  };
}

function toDate(value: unknown): Date {
  return typeof value === "number" ? new Date(value * 1000) : new Date(String(value));
}

function source(registryId?: string) {
  const regions: string[] = [];
  const ecr = regionalClients((region) => {
    regions.push(region);
    return new ECRClient({ region, credentials: { accessKeyId: "k", secretAccessKey: "s" } });
  });
  return { findings: new EcrFindingsSource({ ecr, ...(registryId && { registryId }) }), regions };
}

const arm = {
  region: "eu-west-1",
  repository: "payments/api",
  digest: ARM,
  platform: "linux/arm64",
} as const;

describe("EcrFindingsSource", () => {
  it("reads every page with maxResults 1000 and the next token, and merges the enhanced findings", async () => {
    const [first, second] = fixture("payments-api.arm64.enhanced.pages.json") as Record<string, unknown>[];
    const pages = [first, second].map((page) => sdkPage(page as Record<string, unknown>));
    // The SDK's paginator reuses one input object, so copy each request as it is sent.
    const calls: unknown[] = [];
    ecrMock.on(DescribeImageScanFindingsCommand).callsFake((input) => {
      calls.push(structuredClone(input));
      return pages.shift();
    });
    const { findings, regions } = source("123456789012");
    const report = await findings.scanReport(arm);
    expect(calls).toEqual([
      {
        repositoryName: "payments/api",
        imageId: { imageDigest: ARM },
        registryId: "123456789012",
        maxResults: 1000,
        nextToken: undefined,
      },
      {
        repositoryName: "payments/api",
        imageId: { imageDigest: ARM },
        registryId: "123456789012",
        maxResults: 1000,
        nextToken: (first as { nextToken: string }).nextToken,
      },
    ]);
    expect(regions).toEqual(["eu-west-1"]);
    expect(report).toMatchObject({ status: "ACTIVE", digest: ARM, platform: "linux/arm64", unlisted: [] });
    expect(report.findings.length).toBeGreaterThan(2);
    expect(report.findings.every((f) => f.source === "enhanced" && f.platform === "linux/arm64")).toBe(true);
  });

  it("reads basic findings from one page, leaving registryId out when not configured", async () => {
    ecrMock
      .on(DescribeImageScanFindingsCommand)
      .resolves(sdkPage(fixture("payments-api.amd64.basic.json") as Record<string, unknown>));
    const report = await source().findings.scanReport({ ...arm, digest: AMD, platform: "linux/amd64" });
    const input = ecrMock.commandCalls(DescribeImageScanFindingsCommand)[0]?.args[0].input;
    expect(input).not.toHaveProperty("registryId");
    expect(report).toMatchObject({ status: "COMPLETE", completedAt: "2026-01-01T00:00:00.000Z" });
    expect(report.counts.CRITICAL).toBe(1);
  });

  it("turns ScanNotFoundException into a PENDING report that cannot pass a gate", async () => {
    ecrMock
      .on(DescribeImageScanFindingsCommand)
      .rejects(new ScanNotFoundException({ message: "Image scan does not exist", $metadata: {} }));
    const report = await source().findings.scanReport(arm);
    expect(report).toMatchObject({ status: "PENDING", digest: ARM, platform: "linux/arm64", findings: [] });
    expect(report.statusDescription).toMatch(/ScanNotFoundException/);
  });

  it("wraps other AWS errors with the image, keeping the cause", async () => {
    const cause = new RepositoryNotFoundException({ message: "no such repository", $metadata: {} });
    ecrMock.on(DescribeImageScanFindingsCommand).rejects(cause);
    const error = await source()
      .findings.scanReport(arm)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScanFindingsError);
    expect((error as Error).message).toBe(
      `reading scan findings of payments/api@${ARM} in eu-west-1: RepositoryNotFoundException: no such repository`,
    );
    expect((error as Error).cause).toBe(cause);
  });

  it("refuses a page that is not a scan result, naming the field", async () => {
    ecrMock.on(DescribeImageScanFindingsCommand).resolves({ imageScanStatus: { status: "DONE" as never } });
    const error = await source()
      .findings.scanReport(arm)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidScanFindingsError);
    expect((error as InvalidScanFindingsError).issues[0]).toMatchObject({
      field: "[0].imageScanStatus.status",
      value: "DONE",
    });
  });
});
