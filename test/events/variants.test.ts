import { describe, expect, it } from "vitest";
import { formatIssues, type ValidationIssue } from "../../src/core/index.ts";
import { type NormalizedEvent, normalizeEvent } from "../../src/events/index.ts";
import { fixture, fixtureFiles } from "./awsSamples.ts";

const INDEX = "sha256:2c983205795bbf038b585fa925adeb03a8d47c4d2729ea7a4a6fdba32d9ef752";
const AMD64 = "sha256:6f823864cb70bb06e0d87f751db0fafcf96375da658da2b281b0fb1d9a4deeba";
const ARM64 = "sha256:554a93c77f0a4d50fabbdc3ed7bd01638f092ce082f2d54d866d659d662bfd77";
const COMMIT = "d7195664b6dbf691573403d42eb640e5e1a28aa2";
const zeros = { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, INFORMATIONAL: 0, UNDEFINED: 0 };
const base = { time: "2026-03-02T10:15:30Z", region: "eu-central-1", account: "210987654321" };
const repository = "platform/team/api";

const valid: Record<string, NormalizedEvent> = {
  "codebuild-build-state-change.batch.json": {
    kind: "build-state-changed",
    eventId: "0b7f1a3c-0007-4c55-9a10-000000000007",
    ...base,
    project: "portcullis-build",
    buildId:
      "arn:aws:codebuild:eu-central-1:210987654321:build/portcullis-build:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
    status: "IN_PROGRESS",
    currentPhase: "BUILD",
    buildNumber: 42,
    sourceVersion: COMMIT,
    initiator: "GitHubActions/portcullis",
    environment: { PLATFORM: "linux/arm64", GIT_REF: "refs/heads/main", APP_TOKEN: "portcullis/app-token" },
    batchId:
      "arn:aws:codebuild:eu-central-1:210987654321:build-batch/portcullis-build:5a4b3c2d-1e0f-4a5b-9c8d-7e6f5a4b3c2d",
    logsUrl:
      "https://console.aws.amazon.com/cloudwatch/home?region=eu-central-1#logEvent:group=/aws/codebuild/portcullis-build;stream=0f1e2d3c",
  },
  "ecr-image-action.push-build-tag.json": {
    kind: "image-pushed",
    eventId: "0b7f1a3c-0001-4c55-9a10-000000000001",
    ...base,
    repository,
    digest: INDEX,
    tag: `sha-${COMMIT}`,
    mediaType: "application/vnd.oci.image.index.v1+json",
  },
  "ecr-image-action.push-untagged.json": {
    kind: "image-pushed",
    eventId: "0b7f1a3c-0002-4c55-9a10-000000000002",
    ...base,
    repository,
    digest: AMD64,
    mediaType: "application/vnd.oci.image.manifest.v1+json",
    artifactMediaType: "application/vnd.oci.image.config.v1+json",
  },
  "ecr-image-scan.failed-without-counts.json": {
    kind: "scan-completed",
    eventId: "0b7f1a3c-0004-4c55-9a10-000000000004",
    ...base,
    repository,
    digest: ARM64,
    tags: [],
    scanner: "basic",
    status: "FAILED",
    counts: zeros,
  },
  "ecr-image-scan.nested-repository-multi-tag.json": {
    kind: "scan-completed",
    eventId: "0b7f1a3c-0003-4c55-9a10-000000000003",
    ...base,
    repository,
    digest: AMD64,
    tags: [`sha-${COMMIT}`, "main", "1.2.3"],
    scanner: "basic",
    status: "COMPLETE",
    counts: { ...zeros, HIGH: 2, LOW: 1 },
  },
  "ecr-replication-action.failure.json": {
    kind: "image-replicated",
    eventId: "0b7f1a3c-0008-4c55-9a10-000000000008",
    ...base,
    region: "us-west-2",
    result: "FAILED",
    repository,
    digest: INDEX,
    sourceAccount: "210987654321",
    sourceRegion: "eu-central-1",
  },
  "inspector2-finding.fixable.json": {
    kind: "finding-changed",
    eventId: "0b7f1a3c-0006-4c55-9a10-000000000006",
    ...base,
    repository,
    digest: ARM64,
    tags: [],
    architecture: "arm64",
    findingArn: "arn:aws:inspector2:eu-central-1:210987654321:finding/0123456789abcdef0123456789abcdef",
    id: "CVE-2024-3094",
    title: "CVE-2024-3094 - xz-utils, liblzma5",
    severity: "CRITICAL",
    status: "ACTIVE",
    fixAvailable: "YES",
    exploitAvailable: "NO",
    score: 9.8,
    packages: [
      { name: "xz-utils", version: "5.6.0", fixedInVersion: "5.6.1", packageManager: "OS" },
      { name: "liblzma5", version: "5.6.0", fixedInVersion: "5.6.1", packageManager: "OS" },
    ],
    sourceUrl: "https://nvd.nist.gov/vuln/detail/CVE-2024-3094",
  },
  "inspector2-scan.total-and-untriaged.json": {
    kind: "scan-completed",
    eventId: "0b7f1a3c-0005-4c55-9a10-000000000005",
    ...base,
    repository,
    digest: ARM64,
    tags: [],
    scanner: "enhanced",
    status: "COMPLETE",
    counts: { CRITICAL: 1, HIGH: 0, MEDIUM: 4, LOW: 2, INFORMATIONAL: 5, UNDEFINED: 3 },
  },
  "portcullis.release-decided.json": {
    kind: "portcullis",
    eventId: "0b7f1a3c-0009-4c55-9a10-000000000009",
    ...base,
    detailType: "Release Decided",
    detail: {
      candidate: { region: "eu-central-1", repository, digest: INDEX },
      git: { commit: COMMIT, ref: "refs/heads/main", source: "https://github.com/example/api" },
      outcome: "failed",
      reasons: ["linux/arm64: 1 CRITICAL fixable finding (CVE-2024-3094) exceeds the maximum of 0"],
    },
  },
};

type Expected = Pick<ValidationIssue, "field" | "value" | "message">;

const invalid: Record<string, Expected[]> = {
  "ecr-image-action.failed-push.json": [
    {
      field: "detail.result",
      value: "FAILURE",
      message: "must be SUCCESS (a failed push or delete leaves no image to act on)",
    },
  ],
  "ecr-image-scan.account-11-digits.json": [
    { field: "account", value: "21098765432", message: "must be an AWS account id of 12 digits" },
  ],
  "ecr-image-scan.bad-repository-and-tag.json": [
    {
      field: "detail.repository-name",
      value: "Platform/API",
      message:
        "must be lowercase path components of [a-z0-9] joined by '.', '_', '__' or '-', separated by '/'",
    },
    {
      field: "detail.image-tags[1]",
      value: "-bad",
      message: "must match [a-zA-Z0-9_][a-zA-Z0-9._-]* (no leading '.' or '-', no '/', ':' or spaces)",
    },
  ],
  "ecr-image-scan.digest-63-hex.json": [
    {
      field: "detail.image-digest",
      value: AMD64.slice(0, -1),
      message: "must have 64 hex characters after sha256:, not 63",
    },
  ],
  "ecr-image-scan.missing-detail.json": [{ field: "detail", value: undefined, message: "is required" }],
  "ecr-image-scan.unknown-detail-type.json": [
    {
      field: "detail-type",
      value: "ECR Image Scan Result",
      message:
        "is not a detail-type Portcullis accepts from aws.ecr (ECR Image Action, ECR Image Scan, ECR Replication Action)",
    },
  ],
  "ecr-image-scan.unknown-severity.json": [
    {
      field: "detail.finding-severity-counts.SEVERE",
      value: "SEVERE",
      message:
        "is not a known severity (CRITICAL, HIGH, MEDIUM, LOW, INFORMATIONAL, UNDEFINED, UNTRIAGED, TOTAL)",
    },
  ],
  "ecr-image-scan.uppercase-digest.json": [
    {
      field: "detail.image-digest",
      value: "sha256:6F823864CB70BB06E0D87F751DB0FAFCF96375DA658DA2B281B0FB1D9A4DEEBA",
      message: "must use lowercase hex",
    },
  ],
  "inspector2-finding.no-ecr-image.json": [
    {
      field: "detail.resources",
      value: [
        {
          details: { awsEc2Instance: { type: "t3.micro" } },
          id: "i-0123456789abcdef0",
          type: "AWS_EC2_INSTANCE",
        },
      ],
      message: "must include a resource of type AWS_ECR_CONTAINER_IMAGE with details.awsEcrContainerImage",
    },
  ],
  "inspector2-scan.arn-from-another-region.json": [
    {
      field: "detail.repository-name",
      value: "arn:aws:ecr:us-east-1:210987654321:repository/platform/team/api",
      message: "names region us-east-1, but the event came from region eu-central-1",
    },
  ],
  "inspector2-scan.unknown-status.json": [
    {
      field: "detail.scan-status",
      value: "SCAN_SKIPPED",
      message:
        'must be one of "INITIAL_SCAN_COMPLETE", "IN_PROGRESS", "COMPLETE", "FAILED", "UNSUPPORTED_IMAGE", "ACTIVE", "PENDING", "SCAN_ELIGIBILITY_EXPIRED", "FINDINGS_UNAVAILABLE", "LIMIT_EXCEEDED", "IMAGE_ARCHIVED"',
    },
  ],
  "unknown-source.json": [
    {
      field: "source",
      value: "com.example.scanner",
      message: "is not a source Portcullis accepts (aws.ecr, aws.inspector2, aws.codebuild, portcullis)",
    },
  ],
};

describe("normalizeEvent on our own variants (test/fixtures/events)", () => {
  it("has an expectation for every fixture file", () => {
    expect(fixtureFiles("valid")).toEqual(Object.keys(valid).sort());
    expect(fixtureFiles("invalid")).toEqual(Object.keys(invalid).sort());
  });

  it.each(Object.keys(valid))("accepts valid/%s with the exact normalized form", (file) => {
    const result = normalizeEvent(fixture(`valid/${file}`));
    if (!result.ok) throw new Error(formatIssues(result.error));
    expect(result.value).toStrictEqual(valid[file]);
  });

  it.each(Object.keys(invalid))("refuses invalid/%s, naming each field and value", (file) => {
    const result = normalizeEvent(fixture(`invalid/${file}`));
    expect(result).toEqual({ ok: false, error: invalid[file] });
  });
});
