/** The platforms Portcullis builds natively: each maps to its own CodeBuild environment type. */
export const PLATFORMS = ["linux/amd64", "linux/arm64"] as const;
export type Platform = (typeof PLATFORMS)[number];

/** The architecture part of a platform (`linux/arm64` → `arm64`), used for job identifiers and cache tags. */
export function platformArch(platform: Platform): "amd64" | "arm64" {
  return platform === "linux/amd64" ? "amd64" : "arm64";
}
