import type { Digest } from "../core/digest.ts";
import { parseDigest } from "../core/digest.ts";
import { fail, ok, type Result, type ValidationIssue } from "../core/result.ts";
import { SCAN_STATUSES, type ScanStatus } from "../core/scanStatus.ts";
import { emptySeverityCounts, SEVERITIES, type Severity } from "../core/severity.ts";
import type { Scanner, ScanRecord } from "./Candidate.ts";
import { toInstant } from "./toInstant.ts";

/** A scan result for one platform image, as a handler hands it over (normalised from an event or a poll). */
export interface ScanInput {
  /** The platform image's digest. */
  readonly digest: string;
  readonly status: ScanStatus;
  /** Counts per severity; missing severities count zero. */
  readonly counts?: Partial<Record<Severity, number>>;
  readonly scanner: Scanner;
  /** When the result was produced (the event's `time`). */
  readonly at: Date | string;
  /** The event id (or a stable id for a polled result), used to recognise redeliveries. */
  readonly eventId: string;
}

const MAX_EVENT_ID = 256;

/**
 * Validates a scan input into the digest it belongs to and the record kept for it, reporting every bad
 * field at once.
 * @example parseScan({ digest, status: "COMPLETE", scanner: "basic", at: "2026-01-01T00:00:00Z", eventId: "e1" })
 */
export function parseScan(input: ScanInput, field = "scan"): Result<{ digest: Digest; record: ScanRecord }> {
  const issues: ValidationIssue[] = [];
  const digest = parseDigest(input.digest, `${field}.digest`);
  if (!digest.ok) issues.push(...digest.error);
  if (!SCAN_STATUSES.includes(input.status)) {
    issues.push({
      field: `${field}.status`,
      value: input.status,
      message: `must be one of ${SCAN_STATUSES.join(", ")}`,
    });
  }
  if (input.scanner !== "basic" && input.scanner !== "enhanced") {
    issues.push({ field: `${field}.scanner`, value: input.scanner, message: "must be basic or enhanced" });
  }
  const at = toInstant(input.at, `${field}.at`);
  if (!at.ok) issues.push(...at.error);
  if (
    typeof input.eventId !== "string" ||
    input.eventId.length === 0 ||
    input.eventId.length > MAX_EVENT_ID
  ) {
    issues.push({
      field: `${field}.eventId`,
      value: input.eventId,
      message: `must be 1 to ${MAX_EVENT_ID} characters`,
    });
  }
  const counts = parseCounts(input.counts, `${field}.counts`, issues);
  if (issues.length > 0 || !digest.ok || !at.ok) return fail(issues);
  const record: ScanRecord = {
    status: input.status,
    counts,
    scanner: input.scanner,
    at: at.value,
    eventId: input.eventId,
  };
  return ok({ digest: digest.value, record });
}

function parseCounts(counts: unknown, field: string, issues: ValidationIssue[]): Record<Severity, number> {
  const filled = emptySeverityCounts();
  if (counts === undefined) return filled;
  if (typeof counts !== "object" || counts === null) {
    issues.push({ field, value: counts, message: "must be an object of counts per severity" });
    return filled;
  }
  for (const [severity, count] of Object.entries(counts)) {
    if (!(SEVERITIES as readonly string[]).includes(severity)) {
      issues.push({
        field: `${field}.${severity}`,
        value: count,
        message: `is not a severity (${SEVERITIES.join(", ")})`,
      });
    } else if (!Number.isSafeInteger(count) || (count as number) < 0) {
      issues.push({ field: `${field}.${severity}`, value: count, message: "must be a whole number ≥ 0" });
    } else {
      filled[severity as Severity] = count as number;
    }
  }
  return filled;
}
