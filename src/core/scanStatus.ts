/** Scan statuses ECR basic and enhanced (Inspector) scanning report. */
export const SCAN_STATUSES = [
  "IN_PROGRESS",
  "COMPLETE",
  "FAILED",
  "UNSUPPORTED_IMAGE",
  "ACTIVE",
  "PENDING",
  "SCAN_ELIGIBILITY_EXPIRED",
  "FINDINGS_UNAVAILABLE",
  "LIMIT_EXCEEDED",
  "IMAGE_ARCHIVED",
] as const;
export type ScanStatus = (typeof SCAN_STATUSES)[number];

/** Only these statuses carry findings a gate may pass on; every other status fails closed. */
export const PASSABLE_SCAN_STATUSES: readonly ScanStatus[] = ["COMPLETE", "ACTIVE"];
/** Statuses that mean "not finished yet": keep waiting (until the policy's timeout). */
export const PENDING_SCAN_STATUSES: readonly ScanStatus[] = ["IN_PROGRESS", "PENDING"];

/** True when a scan reached a final state (passable or not). */
export function isTerminalScanStatus(status: ScanStatus): boolean {
  return !PENDING_SCAN_STATUSES.includes(status);
}
