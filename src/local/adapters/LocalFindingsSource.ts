import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { type CandidateKey, type Clock, emptySeverityCounts } from "../../core/index.ts";
import {
  findDuplicateKeys,
  InvalidScanFindingsError,
  parseScanFindings,
  type ScanFindings,
} from "../../findings/index.ts";
import type { FindingsSource } from "../../handlers/ports.ts";

/** Options for {@link LocalFindingsSource}. */
export interface LocalFindingsSourceOptions {
  /** The scenario folder: one DescribeImageScanFindings response per platform (see {@link findingsFileName}). */
  readonly folder: string;
  /** The account the responses claim (`registryId`). */
  readonly account: string;
  /**
   * Findings that arrive late: once `afterMinutes` of `clock` time have passed since the source was made, a
   * platform's `<platform>.late.json`, when there is one, is served instead (as ECR lists findings after a
   * scan said COMPLETE).
   */
  readonly late?: { readonly clock: Clock; readonly afterMinutes: number };
}

/**
 * {@link FindingsSource} reading a scenario's files instead of calling DescribeImageScanFindings: the
 * response for `linux/arm64` is `linux-arm64.json` (a JSON array is the response's pages). Each file is
 * a template: like ECR, the source answers for whichever image it is asked about, so `repositoryName`,
 * `registryId` and `imageId.imageDigest` are set to that image before the shared parser validates it.
 * A platform without a file has no scan yet, as ECR says with ScanNotFoundException: a PENDING report.
 * @example const report = await new LocalFindingsSource({ folder, account }).scanReport({ …key, platform: "linux/amd64" });
 */
export class LocalFindingsSource implements FindingsSource {
  readonly #options: LocalFindingsSourceOptions;

  readonly #lateFrom: number | undefined;
  #folder: string;

  constructor(options: LocalFindingsSourceOptions) {
    this.#options = options;
    this.#folder = options.folder;
    const late = options.late;
    this.#lateFrom = late && late.clock.now().getTime() + late.afterMinutes * 60_000;
  }

  async scanReport(image: CandidateKey & { readonly platform: string }): Promise<ScanFindings> {
    const name = findingsFileName(image.platform);
    const lateName = name.replace(/\.json$/, ".late.json");
    const late = this.#isLate() ? await readText(join(this.#folder, lateName)) : undefined;
    const file = join(this.#folder, late === undefined ? name : lateName);
    const text = late ?? (await readText(file));
    if (text === undefined) return notScanned(image, file);
    const response = answerFor(parseJson(text, file, image), image, this.#options.account);
    const parsed = parseScanFindings(response, { platform: image.platform });
    if (!parsed.ok) throw new InvalidScanFindingsError(parsed.error, image);
    return parsed.value;
  }

  /** Serves the responses of another folder from now on (what ECR says about the image later). */
  serveFrom(folder: string): void {
    this.#folder = folder;
  }

  #isLate(): boolean {
    const clock = this.#options.late?.clock;
    return clock !== undefined && this.#lateFrom !== undefined && clock.now().getTime() >= this.#lateFrom;
  }
}

async function readText(file: string): Promise<string | undefined> {
  return readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return undefined;
    throw error;
  });
}

/** The file holding a platform's response: `linux/arm64/v8` → `linux-arm64-v8.json`. */
export function findingsFileName(platform: string): string {
  return `${platform.replaceAll("/", "-")}.json`;
}

function parseJson(text: string, file: string, image: CandidateKey): unknown {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const message = `is not valid JSON: ${(error as Error).message}`;
    throw new InvalidScanFindingsError([{ field: file, value: text.slice(0, 40), message }], image);
  }
  const duplicates = findDuplicateKeys(text);
  if (duplicates.length > 0) throw new InvalidScanFindingsError(duplicates, image);
  return json;
}

/** The response (or each page) with the image's identity filled in; anything else is left as written. */
function answerFor(response: unknown, image: CandidateKey, account: string): unknown {
  const fill = (page: unknown) => {
    if (typeof page !== "object" || page === null || Array.isArray(page)) return page;
    const imageId = (page as { imageId?: unknown }).imageId;
    return {
      ...page,
      registryId: account,
      repositoryName: image.repository,
      imageId: { ...(typeof imageId === "object" ? imageId : {}), imageDigest: image.digest },
    };
  };
  return Array.isArray(response) ? response.map(fill) : fill(response);
}

function notScanned(image: CandidateKey & { readonly platform: string }, file: string): ScanFindings {
  return {
    repository: image.repository,
    digest: image.digest,
    platform: image.platform,
    status: "PENDING",
    statusDescription: `no scan result for this platform (${file} does not exist)`,
    findings: [],
    counts: emptySeverityCounts(),
    unlisted: [],
  };
}
