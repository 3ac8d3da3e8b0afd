import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ECRClient } from "@aws-sdk/client-ecr";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EcrFindingsSource } from "../../src/aws/EcrFindingsSource.ts";
import { InvalidScanFindingsError } from "../../src/findings/index.ts";

// ECR over the wire (JSON 1.1 on a loopback port), so the response bodies go through the SDK's own
// deserializer: aws-sdk-client-mock replaces `send` and would never show a duplicate key.

const ARM = "sha256:78c54fa1e9dafa86ca6d9e61b0e69564ec353f77df5be1422557e2e8e24b0a84";
const image = {
  region: "eu-west-1",
  repository: "payments/api",
  digest: ARM,
  platform: "linux/arm64",
} as const;

/** The fixture's pages as ECR sends them: JSON 1.1 timestamps are epoch seconds. */
function wirePages(): Record<string, unknown>[] {
  const text = readFileSync(
    new URL("../fixtures/findings/payments-api.arm64.enhanced.pages.json", import.meta.url),
    "utf8",
  );
  return (JSON.parse(text) as Record<string, unknown>[]).map((page) => {
    const findings = page.imageScanFindings as Record<string, unknown>;
    const epoch = (value: unknown) => Date.parse(String(value)) / 1000;
    return {
      ...page,
      imageScanFindings: {
        ...findings,
        imageScanCompletedAt: epoch(findings.imageScanCompletedAt),
        vulnerabilitySourceUpdatedAt: epoch(findings.vulnerabilitySourceUpdatedAt),
      },
    };
  });
}

/** What the fake ECR answers: the body text for a request's nextToken (undefined = first page). */
let answer: (nextToken: string | undefined) => string;
const requests: Array<string | undefined> = [];
let server: Server;
let endpoint: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => {
      body += chunk.toString("utf8");
    });
    request.on("end", () => {
      const { nextToken } = JSON.parse(body) as { nextToken?: string };
      requests.push(nextToken);
      response.writeHead(200, { "content-type": "application/x-amz-json-1.1" });
      response.end(answer(nextToken));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

function source() {
  const client = new ECRClient({
    region: image.region,
    endpoint,
    credentials: { accessKeyId: "k", secretAccessKey: "s" },
    maxAttempts: 1,
  });
  return new EcrFindingsSource({ ecr: () => client });
}

async function failure(): Promise<unknown> {
  requests.length = 0;
  return source()
    .scanReport(image)
    .then(
      () => undefined,
      (error: unknown) => error,
    );
}

describe("EcrFindingsSource over the wire", () => {
  it("reads both pages through the SDK's deserializer, following the token", async () => {
    const [first, second] = wirePages();
    answer = (token) => JSON.stringify(token === undefined ? first : second);
    requests.length = 0;
    const report = await source().scanReport(image);
    expect(requests).toEqual([undefined, (first as { nextToken: string }).nextToken]);
    expect(report).toMatchObject({ status: "ACTIVE", digest: ARM, unlisted: [] });
    expect(report.findings.length).toBeGreaterThan(2);
  });

  it("refuses a page whose findings key is written twice, instead of keeping the last (empty) one", async () => {
    const [, second] = wirePages();
    const text = JSON.stringify(second);
    answer = () => text.replace('"enhancedFindings":[', '"enhancedFindings":[],"enhancedFindings":[');
    const error = await failure();
    expect(error).toBeInstanceOf(InvalidScanFindingsError);
    expect((error as InvalidScanFindingsError).issues).toEqual([
      expect.objectContaining({ field: "imageScanFindings.enhancedFindings", value: "enhancedFindings" }),
    ]);
    expect((error as Error).message).toContain(`scan findings for payments/api@${ARM}`);
  });

  it("stops when ECR repeats a token and refuses the response as cut short", async () => {
    const [first] = wirePages();
    const { imageScanFindings, ...header } = first as Record<string, unknown>;
    const { findingSeverityCounts: _counts, ...withoutCounts } = imageScanFindings as Record<string, unknown>;
    answer = () => JSON.stringify({ ...header, imageScanFindings: withoutCounts });
    const error = await failure();
    expect(requests).toHaveLength(2);
    expect(error).toBeInstanceOf(InvalidScanFindingsError);
    expect((error as InvalidScanFindingsError).issues).toEqual([
      expect.objectContaining({
        field: "[1].nextToken",
        message: expect.stringMatching(/^is still set on the last page: the response was cut short/),
      }),
    ]);
  });
});
