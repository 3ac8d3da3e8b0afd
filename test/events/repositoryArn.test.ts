import { describe, expect, it } from "vitest";
import { parseRepositoryArn } from "../../src/events/index.ts";

describe("parseRepositoryArn", () => {
  it.each([
    ["arn:aws:ecr:us-east-2:123456789012:repository/app", "aws", "us-east-2", "app"],
    [
      "arn:aws:ecr:us-east-2:123456789012:repository/amazon/amazon-ecs-sample",
      "aws",
      "us-east-2",
      "amazon/amazon-ecs-sample",
    ],
    ["arn:aws-cn:ecr:cn-north-1:123456789012:repository/a/b/c", "aws-cn", "cn-north-1", "a/b/c"],
    [
      "arn:aws-us-gov:ecr:us-gov-west-1:123456789012:repository/x.y_z",
      "aws-us-gov",
      "us-gov-west-1",
      "x.y_z",
    ],
  ])("takes %s apart", (arn, partition, region, name) => {
    expect(parseRepositoryArn(arn)).toEqual({
      ok: true,
      value: { partition, region, account: "123456789012", name },
    });
  });

  it.each([
    ["a plain name", "team/app"],
    ["an S3 ARN", "arn:aws:s3:::bucket"],
    ["an image ARN with a digest", "arn:aws:ecr:us-east-1:123456789012:repository/app/sha256:abc"],
    ["an 11-digit account", "arn:aws:ecr:us-east-1:12345678901:repository/app"],
    ["an empty name", "arn:aws:ecr:us-east-1:123456789012:repository/"],
    ["an uppercase name", "arn:aws:ecr:us-east-1:123456789012:repository/App"],
    ["a number", 42],
  ])("refuses %s, naming the field and value", (_title, value) => {
    const result = parseRepositoryArn(value, "detail.repository-name");
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.error).toEqual([expect.objectContaining({ field: "detail.repository-name", value })]);
  });
});
