import {
  emptySeverityCounts,
  fail,
  ok,
  type Result,
  SEVERITIES,
  type SeverityCounts,
  type ValidationIssue,
} from "../core/index.ts";
import { dropUndefined } from "./dropUndefined.ts";
import type { ScanFindings } from "./ScanFindings.ts";
import type { ScanFindingsPage } from "./scanFindingsSchema.ts";

/** Everything in a scan result except the findings. */
export type PageHeader = Omit<ScanFindings, "findings" | "counts" | "unlisted" | "platform">;

interface Agreed {
  readonly field: string;
  readonly read: (page: ScanFindingsPage) => unknown;
}

/** Fields every page of one image's results must agree on. */
const AGREED: readonly Agreed[] = [
  { field: "registryId", read: (p) => p.registryId },
  { field: "repositoryName", read: (p) => p.repositoryName },
  { field: "imageId.imageDigest", read: (p) => p.imageId?.imageDigest },
  { field: "imageScanStatus.status", read: (p) => p.imageScanStatus.status },
];

/**
 * Merges the non-finding fields of the pages of one DescribeImageScanFindings call, refusing pages
 * that describe different images (registry, repository, digest) or disagree on the scan status.
 * @example mergePageHeaders([page0, page1], (i) => `[${i}]`)
 */
export function mergePageHeaders(
  pages: readonly [ScanFindingsPage, ...ScanFindingsPage[]],
  prefix: (index: number) => string,
): Result<PageHeader> {
  const issues = AGREED.flatMap((agreed) => disagreements(pages, agreed, prefix));
  if (issues.length > 0) return fail(issues);
  const first = pages[0];
  const findings = pages.map((p) => p.imageScanFindings);
  return ok(
    dropUndefined({
      repository: first.repositoryName,
      registryId: first.registryId,
      digest: first.imageId?.imageDigest,
      status: first.imageScanStatus.status,
      statusDescription: first.imageScanStatus.description,
      completedAt: latest(findings.map((f) => f?.imageScanCompletedAt)),
      vulnerabilitySourceUpdatedAt: latest(findings.map((f) => f?.vulnerabilitySourceUpdatedAt)),
      reportedCounts: reportedCounts(findings.map((f) => f?.findingSeverityCounts)),
    }),
  );
}

function disagreements(
  pages: readonly ScanFindingsPage[],
  { field, read }: Agreed,
  prefix: (index: number) => string,
): ValidationIssue[] {
  const firstIndex = pages.findIndex((p) => read(p) !== undefined);
  if (firstIndex < 0) return [];
  const expected = read(pages[firstIndex] as ScanFindingsPage);
  return pages.flatMap((page, index) => {
    const value = read(page);
    if (value === undefined || value === expected) return [];
    const message = `differs from page ${firstIndex} (${JSON.stringify(expected)}): pages must describe one image scan`;
    return [{ field: `${prefix(index)}${prefix(index) ? "." : ""}${field}`, value, message }];
  });
}

/** ISO timestamps sort lexically; the latest wins. */
function latest(values: readonly (string | undefined)[]): string | undefined {
  return values
    .filter((v): v is string => v !== undefined)
    .sort()
    .at(-1);
}

/** Every page repeats the totals; the largest per severity wins. */
function reportedCounts(values: readonly (SeverityCounts | undefined)[]): SeverityCounts | undefined {
  const present = values.filter((v): v is SeverityCounts => v !== undefined);
  if (present.length === 0) return undefined;
  const counts = emptySeverityCounts();
  for (const severity of SEVERITIES) counts[severity] = Math.max(...present.map((c) => c[severity]));
  return counts;
}
