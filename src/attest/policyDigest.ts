import { createHash } from "node:crypto";
import type { Digest } from "../core/digest.ts";

/**
 * The digest a verification summary gives its policy: SHA-256 of the parsed policy as canonical JSON (keys
 * sorted, no whitespace), so the YAML users write and the JSON the Lambdas bundle digest the same.
 * Reproduce it with `yq -o=json P | jq -cS . | tr -d '\n' | sha256sum`.
 * @example policyDigest(policy) // "sha256:…"
 */
export function policyDigest(policy: unknown): Digest {
  return `sha256:${createHash("sha256").update(canonicalJson(policy)).digest("hex")}`;
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
