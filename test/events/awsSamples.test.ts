import { describe, expect, it } from "vitest";
import { formatIssues } from "../../src/core/index.ts";
import { type NormalizedEvent, normalizeEvent } from "../../src/events/index.ts";
import { awsSampleFiles, rawSample, validDigestFor, validSample } from "./awsSamples.ts";

const ECR_PLACEHOLDER = "sha256:7f5b2640fe6fb4f46592dfd3410c4a79dac4f89e4782432e0378abcd1234";
const INSPECTOR_PLACEHOLDER = "sha256:36c7b282abd0186e01419f2e58743e1bf635808231049bbc9d77e5EXAMPLE";
const REPLICATION_FAILED_PLACEHOLDER = "sha256:8g6c3751gf7gc5g47603ege4511d5a80ead5g90f5893543f1489bde2345";
const ecrDigest = validDigestFor(ECR_PLACEHOLDER);
const inspectorDigest = validDigestFor(INSPECTOR_PLACEHOLDER);
const zeros = { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, INFORMATIONAL: 0, UNDEFINED: 0 };

/** The exact normalized form of every AWS sample (placeholders substituted). */
const expected: Record<string, NormalizedEvent> = {
  "codebuild-build-state-change.json": {
    kind: "build-state-changed",
    eventId: "c030038d-8c4d-6141-9545-00ff7b7153EX",
    time: "2017-09-01T16:14:28Z",
    region: "us-west-2",
    account: "123456789012",
    project: "my-sample-project",
    buildId:
      "arn:aws:codebuild:us-west-2:123456789012:build/my-sample-project:8745a7a9-c340-456a-9166-edf953571bEX",
    status: "SUCCEEDED",
    currentPhase: "COMPLETED",
    initiator: "MyCodeBuildDemoUser",
    environment: {},
    logsUrl:
      "https://console.aws.amazon.com/cloudwatch/home?region=us-west-2#logEvent:group=/aws/codebuild/my-sample-project;stream=8745a7a9-c340-456a-9166-edf953571bEX",
  },
  "ecr-image-action.delete.json": {
    kind: "image-deleted",
    eventId: "dd3b46cb-2c74-f49e-393b-28286b67279d",
    time: "2019-11-16T02:01:05Z",
    region: "us-west-2",
    account: "123456789012",
    repository: "my-repository-name",
    digest: ecrDigest,
    tag: "latest",
  },
  "ecr-image-action.push.json": {
    kind: "image-pushed",
    eventId: "13cde686-328b-6117-af20-0e5566167482",
    time: "2019-11-16T01:54:34Z",
    region: "us-west-2",
    account: "123456789012",
    repository: "my-repository-name",
    digest: ecrDigest,
    tag: "latest",
  },
  "ecr-image-scan.basic.json": {
    kind: "scan-completed",
    eventId: "85fc3613-e913-7fc4-a80c-a3753e4aa9ae",
    time: "2019-10-29T02:36:48Z",
    region: "us-east-1",
    account: "123456789012",
    repository: "my-repository-name",
    digest: ecrDigest,
    tags: [],
    scanner: "basic",
    status: "COMPLETE",
    counts: { ...zeros, CRITICAL: 10, MEDIUM: 9 },
  },
  "ecr-replication-action.success.json": {
    kind: "image-replicated",
    eventId: "c8b133b1-6029-ee73-e2a1-4f466b8ba999",
    time: "2024-05-08T20:44:54Z",
    region: "us-east-1",
    account: "123456789012",
    result: "SUCCESS",
    repository: "docker-hub/alpine",
    digest: ecrDigest,
    tag: "3.17.2",
    sourceAccount: "123456789012",
    sourceRegion: "us-west-2",
  },
  "ecr-replication-action.failed.json": {
    kind: "image-replicated",
    eventId: "d9c244c2-7130-ff84-f3b2-5g577c9cb000",
    time: "2024-05-08T20:45:12Z",
    region: "us-east-1",
    account: "123456789012",
    result: "FAILED",
    repository: "my-app",
    digest: validDigestFor(REPLICATION_FAILED_PLACEHOLDER),
    tag: "latest",
    sourceAccount: "123456789012",
    sourceRegion: "us-west-2",
  },
  "inspector2-finding.ecr-image.json": {
    kind: "finding-changed",
    eventId: "42dbea55-45ad-b2b4-87a8-afaEXAMPLE",
    time: "2021-12-03T18:02:30Z",
    region: "us-east-2",
    account: "123456789012",
    repository: "amazon/amazon-ecs-sample",
    digest: inspectorDigest,
    tags: ["latest"],
    architecture: "amd64",
    findingArn: "arn:aws:inspector2:us-east-2:123456789012:finding/be674aaddd0f75ac632055EXAMPLE",
    id: "CVE-2019-17498",
    title: "CVE-2019-17498 - libssh2",
    severity: "MEDIUM",
    status: "ACTIVE",
    score: 6.5,
    packages: [{ name: "libssh2", version: "1.4.3", packageManager: "OS" }],
    sourceUrl: "https://access.redhat.com/security/cve/CVE-2019-17498",
  },
  "inspector2-scan.ecr-userguide.json": {
    kind: "scan-completed",
    eventId: "739c0d3c-4f02-85c7-5a88-94a9EXAMPLE",
    time: "2021-12-03T18:03:16Z",
    region: "us-east-2",
    account: "123456789012",
    repository: "amazon/amazon-ecs-sample",
    digest: inspectorDigest,
    tags: ["latest"],
    scanner: "enhanced",
    status: "COMPLETE",
    counts: { ...zeros, CRITICAL: 7, HIGH: 61, MEDIUM: 62 },
  },
};

/** Where each raw sample carries an AWS placeholder digest, and which placeholder. */
const placeholders: Record<string, { field: string; value: string }[]> = {
  "codebuild-build-state-change.json": [],
  "ecr-image-action.delete.json": [{ field: "detail.image-digest", value: ECR_PLACEHOLDER }],
  "ecr-image-action.push.json": [{ field: "detail.image-digest", value: ECR_PLACEHOLDER }],
  "ecr-image-scan.basic.json": [{ field: "detail.image-digest", value: ECR_PLACEHOLDER }],
  "ecr-replication-action.success.json": [{ field: "detail.image-digest", value: ECR_PLACEHOLDER }],
  "ecr-replication-action.failed.json": [
    { field: "detail.image-digest", value: REPLICATION_FAILED_PLACEHOLDER },
  ],
  "inspector2-finding.ecr-image.json": [
    { field: "detail.resources[0].details.awsEcrContainerImage.imageHash", value: INSPECTOR_PLACEHOLDER },
  ],
  "inspector2-scan.ecr-userguide.json": [{ field: "detail.image-digest", value: INSPECTOR_PLACEHOLDER }],
};

describe("AWS's published sample events", () => {
  it("are all covered here (a new sample in test/fixtures/aws-events fails until it is)", () => {
    expect(awsSampleFiles()).toEqual(Object.keys(expected).sort());
  });

  it.each(awsSampleFiles())("%s normalizes exactly, with valid digests substituted", (file) => {
    const result = normalizeEvent(validSample(file));
    if (!result.ok) throw new Error(formatIssues(result.error));
    expect(result.value).toStrictEqual(expected[file]);
  });

  it.each(awsSampleFiles())(
    "%s as published: each placeholder digest is refused, naming the field and value",
    (file) => {
      const wanted = placeholders[file] ?? [];
      const result = normalizeEvent(rawSample(file));
      if (wanted.length === 0) {
        expect(result.ok).toBe(true);
        return;
      }
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error.map(({ field, value }) => ({ field, value }))).toEqual(wanted);
      const text = formatIssues(result.error);
      for (const { field, value } of wanted)
        expect(text).toContain(`${field}: ${JSON.stringify(value)} must`);
    },
  );

  it("says how long the ECR placeholder is, so the reader sees why it is refused", () => {
    const result = normalizeEvent(rawSample("ecr-image-scan.basic.json"));
    expect(result.ok ? "" : result.error[0]?.message).toBe(
      "must have 64 hex characters after sha256:, not 60",
    );
  });
});
