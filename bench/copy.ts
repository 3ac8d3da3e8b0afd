/**
 * `npm run bench:copy [-- --size MB --runs N --concurrency N]`: copies a two-platform image between two
 * local distribution registries with `portcullis copy` (a subprocess, as users run it) and with
 * `skopeo copy --all`, alternating, and prints median seconds, MB/s and peak RSS for both, the ratio,
 * and a warm run (the target already holds everything). Targets: cold ≤ 0.8 × skopeo, peak RSS
 * ≤ 100 MB and flat when the layers double (`--size 840`), warm no slower than skopeo with 0 blob bytes.
 */
import { execFileSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createRegistryClient } from "../src/registry/index.ts";
import { type FaultProxy, startFaultProxy } from "../test/support/faultProxy.ts";
import { fileLayer } from "../test/support/fileLayer.ts";
import {
  measureProcess as measure,
  median,
  type ProcessSample as Sample,
} from "../test/support/measureProcess.ts";
import { startRegistry, type TestRegistry } from "../test/support/registry.ts";
import { pushTestImage, randomIndex, type TestImage } from "../test/support/testImages.ts";

const MB = 1024 * 1024;
const defaults = { size: 420, runs: 5, concurrency: 4 };

interface Tool {
  readonly name: string;
  readonly command: (from: string, to: string) => string[];
}

/**
 * `node bin/portcullis.js copy`, exactly as users run it after `npm ci`: the bin runs the CLI bundle that
 * `npm ci` builds (scripts/bundle-cli.mjs; rebuilt here first so it is fresh), with no TypeScript loader.
 */
const portcullis = (concurrency: number): Tool => ({
  name: "portcullis",
  command: (from, to) => [
    process.execPath,
    "bin/portcullis.js",
    "copy",
    from,
    to,
    "--concurrency",
    String(concurrency),
  ],
});

/** Rebuilds the CLI bundle so the bin does not fall back to the sources (it does when they are newer). */
function freshCliBundle(): void {
  execFileSync(process.execPath, ["scripts/bundle-cli.mjs"], { stdio: "inherit" });
}

const skopeo: Tool = {
  name: "skopeo",
  command: (from, to) => [
    "skopeo",
    "copy",
    "--quiet",
    "--all",
    "--preserve-digests",
    "--src-tls-verify=false",
    "--dest-tls-verify=false",
    `docker://${from}`,
    `docker://${to}`,
  ],
};

/** Builds the image in registry A: two large layers shared by both platforms, small per-platform ones. */
async function buildImage(dir: string, registry: TestRegistry, sizeMb: number): Promise<TestImage> {
  const small = 5 * MB;
  const large = Math.round((sizeMb * MB - 4 * small) / 2);
  const image = await randomIndex({
    sharedLayers: [large, large],
    platformLayers: [small, small],
    makeLayer: fileLayer(dir, 0),
  });
  const client = createRegistryClient(registry.host);
  await pushTestImage(client, "bench/app", image, "v1");
  client.close();
  return image;
}

/** One cold run: a fresh target registry, so nothing is there and nothing is cached. */
async function coldRun(tool: Tool, source: TestRegistry): Promise<Sample> {
  const target = await startRegistry();
  try {
    return await measure(tool.command(`${source.host}/bench/app:v1`, `${target.host}/bench/app:v1`));
  } finally {
    await target.stop();
  }
}

/** Warm runs: the target repository already holds the image; the proxy counts blob bytes sent. */
async function warmRuns(tools: readonly Tool[], source: TestRegistry, runs: number) {
  const target = await startRegistry();
  const proxy: FaultProxy = await startFaultProxy(target.host);
  try {
    await measure(skopeo.command(`${source.host}/bench/app:v1`, `${proxy.host}/bench/warm:v1`));
    const results = new Map<string, { samples: Sample[]; bytes: number }>(
      tools.map((t) => [t.name, { samples: [], bytes: 0 }]),
    );
    for (let run = 0; run < runs; run++) {
      for (const tool of tools) {
        proxy.clear();
        const sample = await measure(
          tool.command(`${source.host}/bench/app:v1`, `${proxy.host}/bench/warm:v1`),
        );
        const entry = results.get(tool.name);
        entry?.samples.push(sample);
        if (entry) entry.bytes += proxy.uploadedBytes();
      }
    }
    return results;
  } finally {
    await proxy.stop();
    await target.stop();
  }
}

function row(name: string, samples: readonly Sample[], imageMb: number): { seconds: number; line: string } {
  const seconds = median(samples.map((s) => s.seconds));
  const rss = Math.max(...samples.map((s) => s.peakRssMb));
  const line = `${name.padEnd(18)}${seconds.toFixed(2).padStart(9)}${(imageMb / seconds).toFixed(1).padStart(9)}${rss.toFixed(0).padStart(13)}`;
  return { seconds, line };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { size: { type: "string" }, runs: { type: "string" }, concurrency: { type: "string" } },
  });
  const sizeMb = Number(values.size ?? defaults.size);
  const runs = Number(values.runs ?? defaults.runs);
  const concurrency = Number(values.concurrency ?? defaults.concurrency);
  const dir = await mkdtemp(join(tmpdir(), "portcullis-bench-"));
  freshCliBundle();
  const tools = [portcullis(concurrency), skopeo];
  const source = await startRegistry();
  try {
    const image = await buildImage(dir, source, sizeMb);
    const imageMb = image.blobs.reduce((sum, b) => sum + b.descriptor.size, 0) / MB;
    console.log(
      `image: ${imageMb.toFixed(0)} MB in ${image.blobs.length} blobs, ${image.manifests.length} manifests; ${runs} runs each, alternating`,
    );
    const cold = new Map<string, Sample[]>(tools.map((t) => [t.name, []]));
    for (let run = 0; run < runs; run++)
      for (const tool of tools) cold.get(tool.name)?.push(await coldRun(tool, source));
    const warm = await warmRuns(tools, source, runs);
    report(cold, warm, imageMb);
  } finally {
    await source.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

function report(
  cold: Map<string, Sample[]>,
  warm: Map<string, { samples: Sample[]; bytes: number }>,
  imageMb: number,
): void {
  console.log(`${"".padEnd(18)}${"median s".padStart(9)}${"MB/s".padStart(9)}${"peak RSS MB".padStart(13)}`);
  const rows = new Map<string, number>();
  for (const [label, samples] of [
    ["portcullis cold", cold.get("portcullis")],
    ["skopeo cold", cold.get("skopeo")],
    ["portcullis warm", warm.get("portcullis")?.samples],
    ["skopeo warm", warm.get("skopeo")?.samples],
  ] as const) {
    const r = row(label, samples ?? [], imageMb);
    rows.set(label, r.seconds);
    console.log(r.line);
  }
  const ratio = (a: string, b: string) => ((rows.get(a) ?? 0) / (rows.get(b) ?? 1)).toFixed(2);
  console.log(`cold ratio portcullis/skopeo: ${ratio("portcullis cold", "skopeo cold")} (target ≤ 0.80)`);
  console.log(`warm ratio portcullis/skopeo: ${ratio("portcullis warm", "skopeo warm")} (target ≤ 1.00)`);
  const bytes = [...warm].map(([name, entry]) => `${name} ${entry.bytes}`).join(", ");
  console.log(`warm blob bytes sent: ${bytes}`);
}

await main();
