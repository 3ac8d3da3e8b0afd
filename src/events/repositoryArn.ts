import { fail, ok, parseRepositoryName, type Result } from "../core/index.ts";

/** An ECR repository ARN taken apart: `arn:aws:ecr:REGION:ACCOUNT:repository/NAME`. */
export interface RepositoryArn {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  /** The repository name; it may contain `/` (`team/app`). */
  readonly name: string;
}

const ARN = /^arn:(aws[a-z-]*):ecr:([a-z0-9-]+):(\d{12}):repository\/(.+)$/;

/**
 * Parses an ECR repository ARN (Inspector puts one in `detail.repository-name`) and validates the
 * name with the OCI grammar. A name may contain `/`; it never contains `:`, so the split is exact.
 * @example parseRepositoryArn("arn:aws:ecr:us-east-2:123456789012:repository/team/app")
 * // => ok({ partition: "aws", region: "us-east-2", account: "123456789012", name: "team/app" })
 */
export function parseRepositoryArn(value: unknown, field = "repository"): Result<RepositoryArn> {
  const match = typeof value === "string" ? ARN.exec(value) : null;
  if (!match) {
    const message = "must be an ECR repository ARN like arn:aws:ecr:us-east-1:123456789012:repository/NAME";
    return fail([{ field, value, message }]);
  }
  const [, partition = "", region = "", account = "", name = ""] = match;
  const parsed = parseRepositoryName(name, field);
  if (!parsed.ok)
    return fail(
      parsed.error.map((issue) => ({ ...issue, value, message: `names a repository that ${issue.message}` })),
    );
  return ok({ partition, region, account, name: parsed.value });
}
