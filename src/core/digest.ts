import { fail, ok, type Result } from "./result.ts";

/** A content digest as registries and ECR use it: `sha256:` and 64 lowercase hex characters. */
export type Digest = `sha256:${string}`;

const DIGEST = /^sha256:[a-f0-9]{64}$/;

/** True when `value` is a well-formed sha256 digest. */
export function isDigest(value: unknown): value is Digest {
  return typeof value === "string" && DIGEST.test(value);
}

/**
 * Validates a digest, naming the field on failure.
 * @example parseDigest("sha256:" + "a".repeat(64), "detail.image-digest")
 */
export function parseDigest(value: unknown, field = "digest"): Result<Digest> {
  if (isDigest(value)) return ok(value);
  return fail([{ field, value, message: describe(value) }]);
}

function describe(value: unknown): string {
  if (typeof value !== "string") return "must be a string of the form sha256:<64 lowercase hex>";
  if (!value.startsWith("sha256:")) return "must start with sha256: (other algorithms are not accepted)";
  const hex = value.slice("sha256:".length);
  if (!/^[a-fA-F0-9]*$/.test(hex)) return "must contain only hex characters after sha256:";
  if (/[A-F]/.test(hex)) return "must use lowercase hex";
  return `must have 64 hex characters after sha256:, not ${hex.length}`;
}
