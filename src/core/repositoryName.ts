import { fail, ok, type Result } from "./result.ts";

/** A repository path component, per the OCI distribution spec's name grammar. */
const COMPONENT = "[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*";
const NAME = new RegExp(`^${COMPONENT}(?:/${COMPONENT})*$`);
/** One path component of a repository name (`team`, `my-app`), anchored. */
export const REPOSITORY_NAME_COMPONENT = new RegExp(`^${COMPONENT}$`);
/** ECR and distribution both cap repository names at 256 characters. */
export const MAX_REPOSITORY_NAME = 256;

/**
 * Validates a repository name (`team/app`, no registry host, no tag), per
 * https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pulling-manifests
 */
export function parseRepositoryName(value: unknown, field = "repository"): Result<string> {
  if (typeof value !== "string") return fail([{ field, value, message: "must be a string" }]);
  if (value.length === 0) return fail([{ field, value, message: "must not be empty" }]);
  if (value.length > MAX_REPOSITORY_NAME)
    return fail([{ field, value, message: `must be at most ${MAX_REPOSITORY_NAME} characters` }]);
  if (!NAME.test(value))
    return fail([
      {
        field,
        value,
        message:
          "must be lowercase path components of [a-z0-9] joined by '.', '_', '__' or '-', separated by '/'",
      },
    ]);
  return ok(value);
}
