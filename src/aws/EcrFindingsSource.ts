import {
  DescribeImageScanFindingsCommand,
  type DescribeImageScanFindingsCommandInput,
  type ECRClient,
  ScanNotFoundException,
} from "@aws-sdk/client-ecr";
import { type CandidateKey, emptySeverityCounts } from "../core/index.ts";
import {
  findDuplicateKeys,
  InvalidScanFindingsError,
  parseScanFindings,
  type ScanFindings,
} from "../findings/index.ts";
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
 * (`enhancedFindings`) alike, merged and validated by parseScanFindings. Each response body is read strictly
 * before the SDK parses it: a key written twice is refused (InvalidScanFindingsError), never read last-wins;
 * a token that repeats stops the reading, and the response, still carrying a token, is refused as cut short.
 * An image ECR has no scan for
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

  async scanReport(image: CandidateKey & { readonly platform: string }): Promise<ScanFindings> {
    const pages = await this.#pages(image);
    if (pages === "not-found") return notFound(image, this.#options.registryId);
    const parsed = parseScanFindings(pages, { platform: image.platform });
    if (!parsed.ok) throw new InvalidScanFindingsError(parsed.error, image);
    return parsed.value;
  }

  async #pages(image: CandidateKey): Promise<unknown[] | "not-found"> {
    const { ecr, registryId, pageSize = ecrFindingsSourceDefaults.pageSize } = this.#options;
    const input: DescribeImageScanFindingsCommandInput = {
      repositoryName: image.repository,
      imageId: { imageDigest: image.digest },
      ...(registryId !== undefined && { registryId }),
      maxResults: pageSize,
    };
    const pages: Record<string, unknown>[] = [];
    const tokens = new Set<string>();
    try {
      let nextToken: string | undefined;
      do {
        const command = new DescribeImageScanFindingsCommand({ ...input, nextToken });
        command.middlewareStack.add(
          (next) => async (args) => {
            const result = await next(args);
            await refuseDuplicateKeys(result.response, image);
            return result;
          },
          STRICT_JSON_BODY,
        );
        const { $metadata: _metadata, ...body } = await ecr(image.region).send(command);
        pages.push(body);
        if (body.nextToken !== undefined && tokens.has(body.nextToken)) break;
        nextToken = body.nextToken;
        if (nextToken) tokens.add(nextToken);
      } while (nextToken);
      return pages;
    } catch (error) {
      if (error instanceof ScanNotFoundException) return "not-found";
      if (error instanceof InvalidScanFindingsError) throw error;
      throw new ScanFindingsError(image.region, image.repository, image.digest, { cause: error });
    }
  }
}

/** Runs next to the transport, inside the SDK's deserializer: it sees the raw body before JSON.parse. */
const STRICT_JSON_BODY = {
  step: "deserialize",
  priority: "low",
  name: "portcullisStrictJsonBody",
} as const;

/**
 * Reads a successful raw response body, refuses it when a key is written twice (the SDK's JSON.parse would
 * keep the last value), and puts the same bytes back for the deserializer.
 */
async function refuseDuplicateKeys(response: unknown, image: CandidateKey): Promise<void> {
  const http = response as { statusCode?: number; body?: unknown } | undefined;
  if (http?.statusCode !== 200 || http.body === undefined) return;
  const bytes = await readBody(http.body);
  const duplicates = findDuplicateKeys(new TextDecoder().decode(bytes));
  if (duplicates.length > 0) throw new InvalidScanFindingsError(duplicates, image);
  http.body = bytes;
}

async function readBody(body: unknown): Promise<Uint8Array> {
  if (body instanceof Uint8Array) return body;
  if (typeof body === "string") return new TextEncoder().encode(body);
  const chunks: Uint8Array[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array | string>)
    chunks.push(typeof chunk === "string" ? new TextEncoder().encode(chunk) : chunk);
  return Buffer.concat(chunks);
}

function notFound(image: CandidateKey & { readonly platform: string }, registryId?: string): ScanFindings {
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
