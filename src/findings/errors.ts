import { type Digest, ValidationError, type ValidationIssue } from "../core/index.ts";

/**
 * Thrown at the edges when a DescribeImageScanFindings response is refused, carrying the image it
 * was fetched for so the caller can log and retry or fail that candidate.
 * @example
 * const scan = parseScanFindings(pages, { platform });
 * if (!scan.ok) throw new InvalidScanFindingsError(scan.error, { repository, digest });
 */
export class InvalidScanFindingsError extends ValidationError {
  readonly repository: string | undefined;
  readonly digest: Digest | undefined;

  constructor(issues: readonly ValidationIssue[], image: { repository?: string; digest?: Digest } = {}) {
    const what = image.digest
      ? `scan findings for ${image.repository ?? "?"}@${image.digest}`
      : "scan findings";
    super(what, issues);
    this.repository = image.repository;
    this.digest = image.digest;
  }
}
