import type { Digest } from "../../core/index.ts";
import type { FindingsSource } from "../../handlers/ports.ts";
import { type Descriptor, parseManifest, type RegistryClient } from "../../registry/index.ts";
import { type EcrEventOrigin, imagePushedEvent, imageScanEvent, inspectorFindingEvent } from "./ecrEvents.ts";

/** A platform image of a pushed index, as ECR's scanner sees it. */
export interface ScannedImage {
  readonly digest: Digest;
  readonly platform: string;
}

/** Options for {@link LocalEcr}. */
export interface LocalEcrOptions {
  /** The primary region's registry. */
  readonly registry: RegistryClient;
  /** Where scan results come from (the scenario). */
  readonly findings: FindingsSource;
  /** Account and region in the envelopes; `time` is read from this clock. */
  readonly origin: Omit<EcrEventOrigin, "time">;
  readonly now: () => Date;
}

/**
 * Plays ECR's part around a push: the `ECR Image Action` event for the tag pushed, then basic scanning of
 * every platform image of the index (ECR cannot scan an index) with one untagged `ECR Image Scan` event
 * each, whose status and counts come from the findings source — the same results DescribeImageScanFindings
 * will return to the gate. Reads the registry only; decides nothing.
 * @example const ecr = new LocalEcr({ registry, findings, origin, now }); bus.put([await ecr.pushEvent(repo, tag)]);
 */
export class LocalEcr {
  constructor(private readonly options: LocalEcrOptions) {}

  /** The PUSH event of `repository:tag`, as ECR emits it once the tag points at its manifest. */
  async pushEvent(repository: string, tag: string) {
    const manifest = await this.options.registry.getManifest(repository, tag);
    return imagePushedEvent(this.#origin(), {
      repository,
      digest: manifest.digest,
      tag,
      mediaType: manifest.mediaType,
    });
  }

  /** The images ECR scans for a pushed manifest: an index's platform images (attestations left out), or itself. */
  async scannedImages(repository: string, digest: Digest): Promise<ScannedImage[]> {
    const raw = await this.options.registry.getManifest(repository, digest);
    const manifest = parseManifest(raw);
    if (manifest.kind === "image")
      return [{ digest, platform: platformLabel(await this.#config(repository, manifest.config)) }];
    return manifest.manifests
      .filter((child) => child.platform && child.platform.os !== "unknown")
      .map((child) => ({ digest: child.digest, platform: platformLabel(child.platform) }));
  }

  /** One `ECR Image Scan` event per platform image of `digest`, in platform order. */
  async scanEvents(repository: string, digest: Digest) {
    const images = await this.scannedImages(repository, digest);
    const region = this.options.origin.region;
    return Promise.all(
      images.map(async (image) => {
        const report = await this.options.findings.scanReport({ region, repository, ...image });
        return imageScanEvent(this.#origin(), {
          repository,
          digest: image.digest,
          status: report.status,
          counts: report.reportedCounts ?? report.counts,
        });
      }),
    );
  }

  /** The `Inspector2 Finding` event Inspector sends when a finding on a platform image changes. */
  findingEvent(
    repository: string,
    digest: Digest,
    finding: { id: string; severity: string; status: string; package: string },
  ) {
    return inspectorFindingEvent(this.#origin(), { repository, digest, ...finding });
  }

  async #config(repository: string, config: Descriptor): Promise<Platform | undefined> {
    const chunks: Buffer[] = [];
    for await (const chunk of await this.options.registry.getBlob(repository, config))
      chunks.push(chunk as Buffer);
    return JSON.parse(Buffer.concat(chunks).toString("utf8")) as Platform;
  }

  #origin(): EcrEventOrigin {
    return { ...this.options.origin, time: this.options.now() };
  }
}

type Platform = Descriptor["platform"];

/** `os/arch[/variant]`, or `unknown` when the image does not say. */
function platformLabel(platform: Platform | undefined): string {
  if (!platform?.os || !platform.architecture) return "unknown";
  return [platform.os, platform.architecture, platform.variant].filter(Boolean).join("/");
}
