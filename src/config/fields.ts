import { z } from "zod";
import { parseRepositoryName } from "../core/repositoryName.ts";
import { AWS_REGION } from "./awsRegion.ts";

/** An AWS region name such as `eu-west-1`. */
export const regionField = z
  .string()
  .regex(AWS_REGION, { error: "must be an AWS region name such as us-east-1 or eu-central-2" });

/** A repository name, validated by the same rules the registry engine applies (src/core). */
export const repositoryNameField = z.string().superRefine((value, ctx) => {
  const parsed = parseRepositoryName(value, "");
  if (parsed.ok) return;
  for (const issue of parsed.error) ctx.addIssue({ code: "custom", message: issue.message, input: value });
});

/** A path inside the git repository being built: relative, never escaping it with `..`. */
export const repoPathField = z
  .string()
  .min(1)
  .refine((path) => !path.startsWith("/") && !path.split("/").includes(".."), {
    error: "must be a relative path inside the git repository (no leading '/', no '..')",
  })
  .refine((path) => !/[\s\\]/.test(path), { error: "must not contain whitespace or backslashes" });

// git check-ref-format, plus: short names only, and no IAM wildcard characters where StringEquals is used.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what git refuses too.
const REF_FORBIDDEN = /[\s~^:?*[\\\u0000-\u001f\u007f]|\.\.|@\{|\/\/|^\/|\/$|^\.|\/\.|\.lock$|\.$/;

/** A branch name allowed to release. Exact: the trust policy compares it with StringEquals. */
export const branchField = z.string().superRefine((value, ctx) => {
  const problem = refProblem(value, "branch");
  if (value.includes("*"))
    ctx.addIssue({
      code: "custom",
      input: value,
      message:
        "must be an exact branch name: the trust policy compares it with StringEquals, so list each release branch",
    });
  else if (problem) ctx.addIssue({ code: "custom", input: value, message: problem });
});

/** A git tag name pattern allowed to release, `*` matching any characters (`v*`). */
export const tagPatternField = z.string().superRefine((value, ctx) => {
  const problem = refProblem(value.replaceAll("*", "x"), "tag");
  if (problem) ctx.addIssue({ code: "custom", input: value, message: problem });
});

/** A GitHub deployment environment name. */
export const environmentField = z
  .string()
  .max(255)
  .regex(/^[A-Za-z0-9._-]+(?: [A-Za-z0-9._-]+)*$/, {
    error: "must be a GitHub environment name: letters, digits, '.', '_', '-' and single spaces",
  });

const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+$/;
const LOOKS_SECRET = /:\/\/|^-----BEGIN|^gh[pousr]_|^github_pat_|^xox[abprs]-/;

/** The name or ARN of a Secrets Manager secret. Secret values themselves are refused on sight. */
export const secretRefField = z.string().superRefine((value, ctx) => {
  if (LOOKS_SECRET.test(value))
    ctx.addIssue({
      code: "custom",
      input: "(redacted)",
      message:
        "looks like a secret value: store it in Secrets Manager and give the secret's name or ARN here, never the value",
    });
  else if (!SECRET_NAME.test(value) && !SECRET_ARN.test(value))
    ctx.addIssue({
      code: "custom",
      input: value,
      message: "must be a Secrets Manager secret name ([A-Za-z0-9/_+=.@-], at most 512 characters) or ARN",
    });
});

/** The ARN of a KMS key (not an alias: IAM authorizes kms:Decrypt on the key's ARN), single- or multi-Region. */
export const kmsKeyArnField = z
  .string()
  .regex(
    /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/(?:[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/,
    {
      error: "must be a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/KEY-ID), not an alias",
    },
  );

/** Names every problem git (or the trust policy) has with a ref short name, or undefined when fine. */
function refProblem(value: string, kind: "branch" | "tag"): string | undefined {
  if (value.length === 0) return "must not be empty";
  if (value.startsWith("refs/")) return `must be the ${kind} name without refs/…`;
  if (REF_FORBIDDEN.test(value))
    return `must be a valid git ${kind} name (no spaces, '..', '~', '^', ':', '?', '[', '\\', '@{', leading/trailing '/' or '.', '.lock')`;
  return undefined;
}
