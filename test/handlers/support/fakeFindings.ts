import type { CandidateKey, Digest } from "../../../src/core/index.ts";
import { parseScanFindings, type ScanFindings } from "../../../src/findings/index.ts";
import type { FindingsSource } from "../../../src/handlers/index.ts";
import { edited } from "../../findings/fixtures.ts";

/** DescribeImageScanFindings responses the fake serves, from test/fixtures/findings. */
export type FindingsVariant =
  | "clean"
  | "vulnerable"
  | "unsupported"
  | "failed"
  | "in-progress"
  /** COMPLETE, listing no finding yet: the CRITICAL the scan counted has not been listed (findings lag). */
  | "lagging"
  /** SCAN_ELIGIBILITY_EXPIRED: Inspector stopped rescanning, every finding closed (none listed). */
  | "expired";

/** A response of one variant, for an image of a repository (the fixture's image fields rewritten). */
export function findingsResponse(variant: FindingsVariant, repository: string, digest: Digest): unknown {
  const image = { repositoryName: repository, "imageId.imageDigest": digest };
  switch (variant) {
    case "clean":
      return edited("payments-api.amd64.basic.json", {
        ...image,
        "imageScanFindings.findings": [],
        "imageScanFindings.findingSeverityCounts": {},
      });
    case "vulnerable":
      return edited("payments-api.amd64.basic.json", image);
    case "lagging":
      return edited("payments-api.amd64.basic.json", {
        ...image,
        "imageScanFindings.findings": [],
        "imageScanFindings.findingSeverityCounts": {},
      });
    case "expired":
      return edited("payments-api.amd64.unsupported.json", {
        ...image,
        "imageScanStatus.status": "SCAN_ELIGIBILITY_EXPIRED",
        "imageScanStatus.description": "The image is no longer eligible for continuous scanning.",
      });
    case "unsupported":
      return edited("payments-api.amd64.unsupported.json", image);
    case "failed":
      return edited("payments-api.amd64.unsupported.json", { ...image, "imageScanStatus.status": "FAILED" });
    case "in-progress":
      return edited("payments-api.amd64.unsupported.json", {
        ...image,
        "imageScanStatus.status": "IN_PROGRESS",
        "imageScanStatus.description": "scanning",
      });
  }
}

/**
 * A FindingsSource backed by fixture responses per image digest, parsed exactly as the AWS adapter parses
 * DescribeImageScanFindings pages. An image without a response makes the call fail, like ScanNotFound.
 */
export class FakeFindings implements FindingsSource {
  readonly calls: Digest[] = [];
  #responses = new Map<string, unknown[]>();
  #held: { count: number; release: () => void; released: Promise<void> } | undefined;

  /**
   * Makes the next calls wait until `count` of them are waiting, then answers them all at once: racing
   * invocations are then guaranteed to evaluate at the same time.
   */
  holdUntil(count: number): void {
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.#held = { count, release, released };
  }

  /** Serves `variant` for this image from now on. */
  set(repository: string, digest: Digest, variant: FindingsVariant): void {
    this.#responses.set(digest, [findingsResponse(variant, repository, digest)]);
  }

  /** Serves these variants for this image one call after another, the last one from then on. */
  serve(repository: string, digest: Digest, variants: readonly FindingsVariant[]): void {
    this.#responses.set(
      digest,
      variants.map((variant) => findingsResponse(variant, repository, digest)),
    );
  }

  /** How many times this image's findings were read. */
  reads(digest: Digest): number {
    return this.calls.filter((call) => call === digest).length;
  }

  async scanReport(image: CandidateKey & { readonly platform: string }): Promise<ScanFindings> {
    this.calls.push(image.digest);
    const held = this.#held;
    if (held !== undefined) {
      if (--held.count <= 0) {
        this.#held = undefined;
        held.release();
      }
      await held.released;
    }
    const queued = this.#responses.get(image.digest);
    const response = queued && queued.length > 1 ? queued.shift() : queued?.[0];
    if (response === undefined) throw new Error(`ScanNotFoundException: no scan for ${image.digest}`);
    const report = parseScanFindings(response, { platform: image.platform });
    if (!report.ok) throw new Error(JSON.stringify(report.error));
    return report.value;
  }
}
