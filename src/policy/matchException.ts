import type { ScanFindings } from "../findings/index.ts";
import { allowlistExpiry } from "./allowlistExpiry.ts";
import { isUnsupportedImage } from "./isUnsupportedImage.ts";
import type { UnsupportedImageRule } from "./Policy.ts";
import type { UnsupportedImageExcepted } from "./Verdict.ts";

/**
 * The unsupported-image exception that lets this platform pass without a scan: its scan says ECR cannot scan
 * the image, and an exception of the repository has not expired at `now` (the first such, in policy order).
 * Undefined otherwise: then the platform fails closed as before.
 * @example matchException(scan, repositoryPolicy.unsupportedImages, now) // { entry, expiresAt }
 */
export function matchException(
  scan: ScanFindings | undefined,
  rules: readonly UnsupportedImageRule[],
  now: Date,
): UnsupportedImageExcepted | undefined {
  if (scan === undefined || !isUnsupportedImage(scan)) return undefined;
  for (const entry of rules) {
    const expiry = allowlistExpiry(entry.expires);
    if (expiry !== undefined && expiry > now) return { entry, expiresAt: expiry.toISOString() };
  }
  return undefined;
}
