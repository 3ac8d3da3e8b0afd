import type { CandidateKey, Digest } from "../../../src/core/index.ts";
import { parseScanFindings, type ScanReport } from "../../../src/findings/index.ts";
import type { FindingsSource } from "../../../src/handlers/index.ts";
import { edited } from "../../findings/fixtures.ts";

/** DescribeImageScanFindings responses the fake serves, from test/fixtures/findings. */
export type FindingsVariant = "clean" | "vulnerable" | "unsupported" | "failed" | "in-progress";

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
  #responses = new Map<string, unknown>();
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
    this.#responses.set(digest, findingsResponse(variant, repository, digest));
  }

  async scanReport(image: CandidateKey & { readonly platform: string }): Promise<ScanReport> {
    this.calls.push(image.digest);
    const held = this.#held;
    if (held !== undefined) {
      if (--held.count <= 0) {
        this.#held = undefined;
        held.release();
      }
      await held.released;
    }
    const response = this.#responses.get(image.digest);
    if (response === undefined) throw new Error(`ScanNotFoundException: no scan for ${image.digest}`);
    const report = parseScanFindings(response, { platform: image.platform });
    if (!report.ok) throw new Error(JSON.stringify(report.error));
    return report.value;
  }
}
