/**
 * What bench:copy and bench:replicate share: the two tools as users run them, the two image shapes, and
 * how a row of figures is printed.
 */
import { execFileSync } from "node:child_process";
import { createRegistryClient } from "../src/registry/index.ts";
import { fileLayer } from "../test/support/fileLayer.ts";
import { median, type ProcessSample } from "../test/support/measureProcess.ts";
import type { TestRegistry } from "../test/support/registry.ts";
import { pushTestImage, randomIndex, type TestImage } from "../test/support/testImages.ts";

export const MB = 1024 * 1024;
const GB = 1024 * MB;

/**
 * `node bin/portcullis.js copy SRC DST [DST …]`, exactly as users run it after `npm ci`: the bin runs the
 * CLI bundle `npm ci` builds (rebuilt first by {@link freshCliBundle}), with no TypeScript loader.
 */
export function portcullisCopy(from: string, to: readonly string[], concurrency: number): string[] {
  return [process.execPath, "bin/portcullis.js", "copy", from, ...to, "--concurrency", String(concurrency)];
}

/** `skopeo copy --all --preserve-digests` over plain HTTP: one source, one destination. */
export function skopeoCopy(from: string, to: string): string[] {
  return [
    "skopeo",
    "copy",
    "--quiet",
    "--all",
    "--preserve-digests",
    "--src-tls-verify=false",
    "--dest-tls-verify=false",
    `docker://${from}`,
    `docker://${to}`,
  ];
}

/** Rebuilds the CLI bundle so the bin does not fall back to the sources (it does when they are newer). */
export function freshCliBundle(): void {
  execFileSync(process.execPath, ["scripts/bundle-cli.mjs"], { stdio: "inherit" });
}

/** The image shapes: several large layers, or one layer holding most of the bytes. */
export type Shape = "layers" | "dominant";

/**
 * Builds a two-platform index of about `sizeMb` in `registry` as `<repository>:v1`. `layers`: two large
 * layers shared by both platforms and two 5 MB layers per platform. `dominant`: one layer of 75 % of
 * the size, the rest in a shared and two per-platform layers of 5 % each.
 */
export async function buildImage(
  dir: string,
  registry: TestRegistry,
  sizeMb: number,
  shape: Shape,
  repository = "bench/app",
): Promise<TestImage> {
  const bytes = sizeMb * MB;
  const small = 5 * MB;
  const large = Math.round((bytes - 4 * small) / 2);
  const part = Math.round(bytes * 0.05);
  const layout =
    shape === "layers"
      ? { sharedLayers: [large, large], platformLayers: [small, small] }
      : { sharedLayers: [Math.round(bytes * 0.75), part], platformLayers: [part, part] };
  const image = await randomIndex({ ...layout, makeLayer: fileLayer(dir, 0) });
  const client = createRegistryClient(registry.host);
  await pushTestImage(client, repository, image, "v1");
  client.close();
  return image;
}

/** Blob bytes of an image. */
export function imageBytes(image: TestImage): number {
  return image.blobs.reduce((sum, blob) => sum + blob.descriptor.size, 0);
}

/** Medians of some samples: wall seconds, CPU seconds and CPU seconds per GB copied; the largest peak RSS. */
export interface Summary {
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly cpuPerGb: number;
  readonly peakRssMb: number;
}

/** Summarizes samples of copies that each moved `bytes` (per destination, times the destinations). */
export function summarize(samples: readonly ProcessSample[], bytes: number): Summary {
  const cpuSeconds = median(samples.map((s) => s.cpuSeconds));
  return {
    seconds: median(samples.map((s) => s.seconds)),
    cpuSeconds,
    cpuPerGb: cpuSeconds / (bytes / GB),
    peakRssMb: Math.max(...samples.map((s) => s.peakRssMb)),
  };
}

/** The column headings matching {@link formatRow}. */
export function header(label: string): string {
  return `${label.padEnd(30)}${"wall s".padStart(8)}${"CPU s".padStart(8)}${"CPU s/GB".padStart(10)}${"peak RSS MB".padStart(13)}`;
}

/** One row: label, median wall and CPU seconds, CPU per GB, peak RSS. */
export function formatRow(label: string, s: Summary): string {
  return `${label.padEnd(30)}${s.seconds.toFixed(2).padStart(8)}${s.cpuSeconds.toFixed(2).padStart(8)}${s.cpuPerGb.toFixed(2).padStart(10)}${s.peakRssMb.toFixed(0).padStart(13)}`;
}
