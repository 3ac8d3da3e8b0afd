import {
  type ECRClient,
  paginateDescribeImageScanFindings,
  ScanNotFoundException,
} from "@aws-sdk/client-ecr";
import { type CandidateKey, emptySeverityCounts } from "../core/index.ts";
import { InvalidScanFindingsError, parseScanFindings, type ScanReport } from "../findings/index.ts";
import type { FindingsSource } from "../handlers/ports.ts";
import { ScanFindingsError } from "./errors.ts";

/** Options for {@link EcrFindingsSource}. */
export interface EcrFindingsSourceOptions {
  /** The ECR client of a region (see regionalClients). */
  readonly ecr: (region: string) => ECRClient;
  /** The registry (account id); omitted, the caller's own. */
  readonly registryId?: string;
  /** Findings per page: DescribeImageScanFindings allows 1–1000; fewer pages means fewer calls. */
  readonly pageSize?: number;
}

/** Defaults of {@link EcrFindingsSourceOptions}. */
export const ecrFindingsSourceDefaults = { pageSize: 1000 } as const;

/**
 * {@link FindingsSource} over ECR's DescribeImageScanFindings: every page, basic (`findings`) and enhanced
 * (`enhancedFindings`) alike, merged and validated by parseScanFindings. An image ECR has no scan for
 * (ScanNotFoundException: not scanned yet, or the scan was lost) becomes a PENDING report saying so: it never
 * passes a gate, and the candidate keeps waiting until a scan arrives or its deadline fails it closed.
 * https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_DescribeImageScanFindings.html
 * @example
 * const findings = new EcrFindingsSource({ ecr: regionalClients((region) => new ECRClient({ region })) });
 * const report = await findings.scanReport({ region, repository: "team/app", digest, platform: "linux/arm64" });
 */
export class EcrFindingsSource implements FindingsSource {
  readonly #options: EcrFindingsSourceOptions;

  constructor(options: EcrFindingsSourceOptions) {
    this.#options = options;
  }

  async scanReport(image: CandidateKey & { readonly platform: string }): Promise<ScanReport> {
    const pages = await this.#pages(image);
    if (pages === "not-found") return notFound(image, this.#options.registryId);
    const parsed = parseScanFindings(pages, { platform: image.platform });
    if (!parsed.ok) throw new InvalidScanFindingsError(parsed.error, image);
    return parsed.value;
  }

  async #pages(image: CandidateKey): Promise<unknown[] | "not-found"> {
    const { ecr, registryId, pageSize = ecrFindingsSourceDefaults.pageSize } = this.#options;
    const pages: unknown[] = [];
    try {
      const paginator = paginateDescribeImageScanFindings(
        { client: ecr(image.region), pageSize, stopOnSameToken: true },
        {
          repositoryName: image.repository,
          imageId: { imageDigest: image.digest },
          ...(registryId !== undefined && { registryId }),
        },
      );
      for await (const page of paginator) {
        const { $metadata: _metadata, ...body } = page;
        pages.push(body);
      }
      return pages;
    } catch (error) {
      if (error instanceof ScanNotFoundException) return "not-found";
      throw new ScanFindingsError(image.region, image.repository, image.digest, { cause: error });
    }
  }
}

function notFound(image: CandidateKey & { readonly platform: string }, registryId?: string): ScanReport {
  return {
    repository: image.repository,
    ...(registryId !== undefined && { registryId }),
    digest: image.digest,
    platform: image.platform,
    status: "PENDING",
    statusDescription: "ECR has no scan for this image yet (ScanNotFoundException)",
    findings: [],
    counts: emptySeverityCounts(),
    unlisted: [],
  };
}
