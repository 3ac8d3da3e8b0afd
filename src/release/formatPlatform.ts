import { fail, ok, type Result } from "../core/result.ts";

const PART = /^[a-z0-9][a-z0-9._-]*$/;

/**
 * Renders an OCI platform object as `os/arch[/variant]`; undefined for no platform or `unknown/unknown`
 * (what buildx writes on attestation manifests). Refuses malformed parts, naming the field.
 * @example formatPlatform({ os: "linux", architecture: "arm64", variant: "v8" }, "platform") // => ok("linux/arm64/v8")
 */
export function formatPlatform(platform: unknown, field: string): Result<string | undefined> {
  if (platform === undefined) return ok(undefined);
  if (typeof platform !== "object" || platform === null) {
    return fail([{ field, value: platform, message: "must be an object with os and architecture" }]);
  }
  const { os, architecture, variant } = platform as Record<string, unknown>;
  if (os === "unknown" && architecture === "unknown") return ok(undefined);
  for (const [name, value] of [
    ["os", os],
    ["architecture", architecture],
  ] as const) {
    if (typeof value !== "string" || !PART.test(value)) {
      return fail([{ field: `${field}.${name}`, value, message: "must be a lowercase platform name" }]);
    }
  }
  if (variant !== undefined && (typeof variant !== "string" || !PART.test(variant))) {
    return fail([{ field: `${field}.variant`, value: variant, message: "must be a lowercase variant name" }]);
  }
  return ok([os, architecture, variant].filter((part) => part !== undefined).join("/"));
}
