import type { ScanFindings } from "../findings/index.ts";

/** Basic scanning's FAILED description for an image it cannot scan ("UnsupportedImageError: …"). */
const UNSUPPORTED_DESCRIPTION = /unsupported/i;

/**
 * True when ECR says it cannot scan the image at all: enhanced scanning's UNSUPPORTED_IMAGE, or basic
 * scanning's FAILED with an unsupported-image description (`FROM scratch`, distroless and other images
 * without an OS package database). Any other failure is not this.
 * @example isUnsupportedImage({ status: "FAILED", statusDescription: "UnsupportedImageError: …", … }) // true
 */
export function isUnsupportedImage(scan: Pick<ScanFindings, "status" | "statusDescription">): boolean {
  if (scan.status === "UNSUPPORTED_IMAGE") return true;
  return scan.status === "FAILED" && UNSUPPORTED_DESCRIPTION.test(scan.statusDescription ?? "");
}
