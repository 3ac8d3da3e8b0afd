import { describe, expect, it } from "vitest";
import { portcullisEvent } from "../../src/events/index.ts";
import { correlationKeys } from "../../src/lambda/correlationKeys.ts";
import { rawSample } from "../events/awsSamples.ts";

const DIGEST = `sha256:${"c".repeat(64)}` as const;
const COMMIT = "0123456789abcdef0123456789abcdef01234567";

describe("correlationKeys", () => {
  it.each([
    ["ECR Image Action", "ecr-image-action.push.json", "my-repository-name", "sha256:7f5b2640"],
    ["ECR Image Scan", "ecr-image-scan.basic.json", "my-repository-name", "sha256:7f5b2640"],
    [
      "Inspector2 Scan (repository ARN)",
      "inspector2-scan.ecr-userguide.json",
      "amazon/amazon-ecs-sample",
      "sha256:36c7b282",
    ],
    [
      "Inspector2 Finding",
      "inspector2-finding.ecr-image.json",
      "amazon/amazon-ecs-sample",
      "sha256:36c7b282",
    ],
  ])("reads %s", (_title, file, repository, digestStart) => {
    const sample = rawSample(file);
    const keys = correlationKeys(sample);
    expect(keys.repository).toBe(repository);
    expect(keys.digest?.startsWith(digestStart)).toBe(true);
    expect(keys).toMatchObject({ eventId: sample.id, detailType: sample["detail-type"] });
  });

  it("reads a Portcullis event's candidate and commit", () => {
    const event = portcullisEvent("Image Promoted", {
      candidate: { region: "us-east-1", repository: "team/app", digest: DIGEST },
      git: { commit: COMMIT },
      tags: ["main"],
    });
    expect(correlationKeys(event)).toEqual({
      repository: "team/app",
      digest: DIGEST,
      commit: COMMIT,
      eventId: event.id,
      detailType: "Image Promoted",
    });
  });

  it("reads an SNS record's message attributes", () => {
    const event = {
      Records: [
        {
          Sns: {
            MessageId: "m-1",
            Subject: "Rejected: team/app",
            MessageAttributes: {
              repository: { Type: "String", Value: "team/app" },
              outcome: { Type: "String", Value: "rejected" },
            },
          },
        },
      ],
    };
    expect(correlationKeys(event)).toEqual({
      repository: "team/app",
      eventId: "m-1",
      detailType: "Rejected: team/app",
    });
  });

  it.each([
    ["null", null],
    ["a string", "event"],
    ["an array", [1, 2]],
    [
      "a detail of the wrong types",
      { id: 7, detail: { candidate: { repository: 3 }, "image-digest": ["x"] } },
    ],
    ["a scheduled event", { id: "s-1", "detail-type": "Scheduled Event", detail: {} }],
  ])("never throws, for %s", (_title, event) => {
    expect(() => correlationKeys(event)).not.toThrow();
  });

  it("shortens huge values", () => {
    const keys = correlationKeys({ detail: { "repository-name": "r".repeat(10_000) } });
    expect(keys.repository?.length).toBe(256);
  });
});
