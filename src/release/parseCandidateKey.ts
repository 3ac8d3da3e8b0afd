import { parseDigest } from "../core/digest.ts";
import { parseRepositoryName } from "../core/repositoryName.ts";
import { fail, ok, type Result, type ValidationIssue } from "../core/result.ts";
import type { CandidateKey } from "./Candidate.ts";

const REGION = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const MAX_REGION = 32;

/** Validates a region name (`eu-west-1`, or a local pipeline's name such as `local-a`). */
export function parseRegion(value: unknown, field: string): Result<string> {
  if (typeof value === "string" && value.length <= MAX_REGION && REGION.test(value)) return ok(value);
  return fail([
    { field, value, message: "must be a region name: lowercase letters and digits joined by '-'" },
  ]);
}

/**
 * Validates a candidate key, reporting every bad field at once.
 * @example parseCandidateKey({ region: "eu-west-1", repository: "team/app", digest }, "key")
 */
export function parseCandidateKey(value: unknown, field = "key"): Result<CandidateKey> {
  const key = (typeof value === "object" && value !== null ? value : {}) as Record<string, unknown>;
  const region = parseRegion(key.region, `${field}.region`);
  const repository = parseRepositoryName(key.repository, `${field}.repository`);
  const digest = parseDigest(key.digest, `${field}.digest`);
  if (region.ok && repository.ok && digest.ok) {
    return ok({ region: region.value, repository: repository.value, digest: digest.value });
  }
  const issues: ValidationIssue[] = [];
  for (const part of [region, repository, digest]) if (!part.ok) issues.push(...part.error);
  return fail(issues);
}
