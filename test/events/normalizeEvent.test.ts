import { describe, expect, it } from "vitest";
import type { ValidationIssue } from "../../src/core/index.ts";
import { normalizeEvent } from "../../src/events/index.ts";
import { validSample } from "./awsSamples.ts";

type Event = Record<string, unknown> & { detail: Record<string, unknown> };
const sample = (file: string) => validSample(file) as Event;
const scan = () => sample("ecr-image-scan.basic.json");
const inspectorScan = () => sample("inspector2-scan.ecr-userguide.json");
const finding = () => sample("inspector2-finding.ecr-image.json");
/** The sample finding, its image moved to another registry (account). */
function findingInRegistry(registry: string): Event {
  const event = finding();
  const resources = event.detail.resources as {
    details: { awsEcrContainerImage: Record<string, unknown> };
  }[];
  const image = resources[0]?.details.awsEcrContainerImage;
  if (image) image.registry = registry;
  return event;
}

/** [title, event, the issues expected (field, value, message)] */
const refused: [string, unknown, Pick<ValidationIssue, "field" | "value" | "message">[]][] = [
  [
    "a JSON array instead of an event",
    [],
    [{ field: "", value: [], message: "must be a JSON object (an EventBridge event)" }],
  ],
  ["null", null, [{ field: "", value: null, message: "must be a JSON object (an EventBridge event)" }]],
  [
    "a region in capitals",
    { ...scan(), region: "US-EAST-1" },
    [{ field: "region", value: "US-EAST-1", message: "must be an AWS region like us-east-1" }],
  ],
  [
    "an account of 13 digits",
    { ...scan(), account: "1234567890123" },
    [{ field: "account", value: "1234567890123", message: "must be an AWS account id of 12 digits" }],
  ],
  [
    "a display-string time",
    { ...scan(), time: "Dec 3, 2021, 6:02:30 PM" },
    [
      {
        field: "time",
        value: "Dec 3, 2021, 6:02:30 PM",
        message: "must be an ISO 8601 UTC time like 2019-11-16T02:01:05Z",
      },
    ],
  ],
  ["an empty id", { ...scan(), id: "" }, [{ field: "id", value: "", message: "must not be empty" }]],
  [
    "a null detail",
    { ...scan(), detail: null },
    [{ field: "detail", value: null, message: "must be an object, not null" }],
  ],
  [
    "a missing source",
    { ...scan(), source: undefined },
    [{ field: "source", value: undefined, message: "is required" }],
  ],
  [
    "a bad account and a bad digest together (every issue, not the first)",
    { ...scan(), account: "12345", detail: { ...scan().detail, "image-digest": "sha256:abc" } },
    [
      { field: "account", value: "12345", message: "must be an AWS account id of 12 digits" },
      {
        field: "detail.image-digest",
        value: "sha256:abc",
        message: "must have 64 hex characters after sha256:, not 3",
      },
    ],
  ],
  [
    "a sha512 digest",
    { ...scan(), detail: { ...scan().detail, "image-digest": `sha512:${"a".repeat(128)}` } },
    [
      {
        field: "detail.image-digest",
        value: `sha512:${"a".repeat(128)}`,
        message: "must start with sha256: (other algorithms are not accepted)",
      },
    ],
  ],
  [
    "a missing image digest",
    { ...scan(), detail: { ...scan().detail, "image-digest": undefined } },
    [{ field: "detail.image-digest", value: undefined, message: "is required" }],
  ],
  [
    "image-tags given as one string",
    { ...scan(), detail: { ...scan().detail, "image-tags": "latest" } },
    [{ field: "detail.image-tags", value: "latest", message: "must be an array, not a string" }],
  ],
  [
    "a negative severity count",
    { ...scan(), detail: { ...scan().detail, "finding-severity-counts": { HIGH: -1 } } },
    [{ field: "detail.finding-severity-counts.HIGH", value: -1, message: "must be at least 0" }],
  ],
  [
    "severity counts given as an array",
    { ...scan(), detail: { ...scan().detail, "finding-severity-counts": [1] } },
    [
      {
        field: "detail.finding-severity-counts",
        value: [1],
        message: "must be an object of severity counts",
      },
    ],
  ],
  [
    "an Inspector repository ARN in another account",
    {
      ...inspectorScan(),
      detail: {
        ...inspectorScan().detail,
        "repository-name": "arn:aws:ecr:us-east-2:999999999999:repository/amazon/amazon-ecs-sample",
      },
    },
    [
      {
        field: "detail.repository-name",
        value: "arn:aws:ecr:us-east-2:999999999999:repository/amazon/amazon-ecs-sample",
        message: "names account 999999999999, but the event came from account 123456789012",
      },
    ],
  ],
  [
    "an ARN that is not an ECR repository",
    {
      ...inspectorScan(),
      detail: { ...inspectorScan().detail, "repository-name": "arn:aws:s3:::my-bucket" },
    },
    [
      {
        field: "detail.repository-name",
        value: "arn:aws:s3:::my-bucket",
        message: "must be an ECR repository ARN like arn:aws:ecr:us-east-1:123456789012:repository/NAME",
      },
    ],
  ],
  [
    "an ARN whose repository name breaks the grammar",
    {
      ...inspectorScan(),
      detail: {
        ...inspectorScan().detail,
        "repository-name": "arn:aws:ecr:us-east-2:123456789012:repository/Team//App",
      },
    },
    [
      {
        field: "detail.repository-name",
        value: "arn:aws:ecr:us-east-2:123456789012:repository/Team//App",
        message:
          "names a repository that must be lowercase path components of [a-z0-9] joined by '.', '_', '__' or '-', separated by '/'",
      },
    ],
  ],
  [
    "an ECR Image Scan from aws.inspector2 (pairs are checked, not each field alone)",
    { ...scan(), source: "aws.inspector2" },
    [
      {
        field: "detail-type",
        value: "ECR Image Scan",
        message:
          "is not a detail-type Portcullis accepts from aws.inspector2 (Inspector2 Scan, Inspector2 Finding)",
      },
    ],
  ],
  [
    "a finding with an unknown severity",
    { ...finding(), detail: { ...finding().detail, severity: "SEVERE" } },
    [
      {
        field: "detail.severity",
        value: "SEVERE",
        message: "must be a severity (CRITICAL, HIGH, MEDIUM, LOW, INFORMATIONAL, UNTRIAGED)",
      },
    ],
  ],
  [
    "a finding with an unknown status",
    { ...finding(), detail: { ...finding().detail, status: "RESOLVED" } },
    [
      {
        field: "detail.status",
        value: "RESOLVED",
        message: 'must be one of "ACTIVE", "SUPPRESSED", "CLOSED"',
      },
    ],
  ],
  [
    "a finding on an image in another account's registry",
    findingInRegistry("999999999999"),
    [
      {
        field: "detail.resources[0].details.awsEcrContainerImage.registry",
        value: "999999999999",
        message: "names account 999999999999, but the event came from account 123456789012",
      },
    ],
  ],
  [
    "a CodeBuild status CodeBuild does not have",
    {
      ...sample("codebuild-build-state-change.json"),
      detail: { ...sample("codebuild-build-state-change.json").detail, "build-status": "QUEUED" },
    },
    [
      {
        field: "detail.build-status",
        value: "QUEUED",
        message: 'must be one of "IN_PROGRESS", "SUCCEEDED", "FAILED", "FAULT", "TIMED_OUT", "STOPPED"',
      },
    ],
  ],
  [
    "a replication event whose action is not REPLICATE",
    {
      ...sample("ecr-replication-action.success.json"),
      detail: { ...sample("ecr-replication-action.success.json").detail, "action-type": "PUSH" },
    },
    [{ field: "detail.action-type", value: "PUSH", message: 'must be "REPLICATE"' }],
  ],
];

describe("normalizeEvent refuses bad input, naming the field and the value", () => {
  it.each(refused)("refuses %s", (_title, event, issues) => {
    expect(normalizeEvent(event)).toEqual({ ok: false, error: issues });
  });
});

describe("normalizeEvent accepts what AWS may legitimately send", () => {
  it("accepts a plain repository name where Inspector usually sends the ARN", () => {
    const event = {
      ...inspectorScan(),
      detail: { ...inspectorScan().detail, "repository-name": "amazon/amazon-ecs-sample" },
    };
    const result = normalizeEvent(event);
    expect(result.ok && result.value.kind === "scan-completed" && result.value.repository).toBe(
      "amazon/amazon-ecs-sample",
    );
  });

  it("resolves repository ARNs of other partitions (aws-cn, aws-us-gov)", () => {
    const event = {
      ...inspectorScan(),
      region: "cn-north-1",
      detail: {
        ...inspectorScan().detail,
        "repository-name": "arn:aws-cn:ecr:cn-north-1:123456789012:repository/a/b/c",
      },
    };
    const result = normalizeEvent(event);
    expect(result.ok && result.value.kind === "scan-completed" && result.value.repository).toBe("a/b/c");
  });

  it("maps Inspector's UNTRIAGED severity to UNDEFINED and lowercase count keys to severities", () => {
    const f = normalizeEvent({ ...finding(), detail: { ...finding().detail, severity: "UNTRIAGED" } });
    expect(f.ok && f.value.kind === "finding-changed" && f.value.severity).toBe("UNDEFINED");
    const s = normalizeEvent({
      ...scan(),
      detail: { ...scan().detail, "finding-severity-counts": { critical: 2 } },
    });
    expect(s.ok && s.value.kind === "scan-completed" && s.value.counts.CRITICAL).toBe(2);
  });

  it("keeps a scan status that is not final (IN_PROGRESS) as it is: the gate decides what waits", () => {
    const s = normalizeEvent({ ...scan(), detail: { ...scan().detail, "scan-status": "IN_PROGRESS" } });
    expect(s.ok && s.value.kind === "scan-completed" && s.value.status).toBe("IN_PROGRESS");
  });

  it("accepts times with milliseconds, GovCloud regions and events without resources", () => {
    const { resources: _dropped, ...rest } = scan();
    const result = normalizeEvent({ ...rest, time: "2026-03-02T10:15:30.123Z", region: "us-gov-west-1" });
    expect(result.ok && result.value.region).toBe("us-gov-west-1");
  });
});
