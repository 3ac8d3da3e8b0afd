import {
  fail,
  ok,
  parseWithSchema,
  type Result,
  SEVERITIES,
  type SeverityCounts,
  type ValidationIssue,
} from "../core/index.ts";
import { collectFindings } from "./collectFindings.ts";
import { countSeverities } from "./countSeverities.ts";
import { dropUndefined } from "./dropUndefined.ts";
import { mergePageHeaders } from "./mergePageHeaders.ts";
import type { ScanFindings, UnlistedFindings } from "./ScanFindings.ts";
import { type ScanFindingsPage, scanFindingsSchema } from "./scanFindingsSchema.ts";

/** Options for {@link parseScanFindings}. */
export interface ParseScanFindingsOptions {
  /** Platform label stamped on the report and every finding (e.g. `linux/arm64`). */
  readonly platform?: string;
}

/**
 * Validates one DescribeImageScanFindings response, or an array of its pages, and merges it into a
 * {@link ScanFindings}: pages merged, findings de-duplicated (id + package + installed version), counts
 * recomputed. Pages that describe different images are refused, and so is a response cut short: a last
 * page that still carries `nextToken` (or the AWS CLI's `NextToken`) means findings are missing, whether
 * or not `findingSeverityCounts` would reveal it. Issues name the field path (pages prefixed `[i]`) and
 * the value.
 * @example
 * const result = parseScanFindings(JSON.parse(text), { platform: "linux/amd64" });
 * if (result.ok) console.log(result.value.counts.CRITICAL);
 * else console.error(formatIssues(result.error));
 */
export function parseScanFindings(
  input: unknown,
  options: ParseScanFindingsOptions = {},
): Result<ScanFindings, ValidationIssue[]> {
  const paged = Array.isArray(input);
  const raw: unknown[] = paged ? input : [input];
  if (raw.length === 0) return fail([{ field: "", value: input, message: "must contain at least one page" }]);
  const prefix = (index: number) => (paged ? `[${index}]` : "");
  const pages: ScanFindingsPage[] = [];
  const issues: ValidationIssue[] = [];
  raw.forEach((page, index) => {
    const parsed = parseWithSchema(scanFindingsSchema, page, prefix(index));
    if (parsed.ok) pages.push(parsed.value);
    else issues.push(...parsed.error);
  });
  const [first, ...rest] = pages;
  if (issues.length > 0 || first === undefined) return fail(issues);
  const cutShort = unfinished(pages, prefix);
  if (cutShort.length > 0) return fail(cutShort);
  const header = mergePageHeaders([first, ...rest], prefix);
  if (!header.ok) return header;
  const { findings, listed } = collectFindings(pages, options.platform);
  return ok(
    dropUndefined({
      ...header.value,
      platform: options.platform,
      findings,
      counts: countSeverities(findings.map((f) => f.severity)),
      listed,
      unlisted: header.value.reportedCounts ? unlisted(header.value.reportedCounts, listed) : [],
    }),
  );
}

/** Pagination tokens of the last page: more pages were there to read. */
const TOKENS = ["nextToken", "NextToken"] as const;

function unfinished(
  pages: readonly ScanFindingsPage[],
  prefix: (index: number) => string,
): ValidationIssue[] {
  const index = pages.length - 1;
  const last = pages[index] as Record<string, unknown>;
  return TOKENS.filter((key) => last[key] !== undefined && last[key] !== null).map((key) => ({
    field: `${prefix(index)}${prefix(index) ? "." : ""}${key}`,
    value: last[key],
    message:
      "is still set on the last page: the response was cut short before its last page, so findings may be missing; read every page (give them as one JSON array) and try again",
  }));
}

function unlisted(reported: SeverityCounts, listed: SeverityCounts): UnlistedFindings[] {
  return SEVERITIES.filter((s) => reported[s] > listed[s]).map((severity) => ({
    severity,
    reported: reported[severity],
    listed: listed[severity],
  }));
}
