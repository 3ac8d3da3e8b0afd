/**
 * `npm run bench:copy [-- --size MB --runs N --concurrency N --shape layers|dominant]`: copies a
 * two-platform image between two local distribution registries with `portcullis copy` (a subprocess, as
 * users run it) and with `skopeo copy --all`, alternating, and prints median wall seconds, user+sys CPU
 * seconds (and per GB copied), peak RSS, the ratios, and a warm run (the target already holds
 * everything). Targets: cold ≤ 0.9 × skopeo's wall, CPU per GB ≤ 0.7 × skopeo's, peak RSS ≤ 100 MB and
 * flat when the layers double (`--size 840`), warm no slower than skopeo with 0 blob bytes.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { type FaultProxy, startFaultProxy } from "../test/support/faultProxy.ts";
import { measureProcess as measure, type ProcessSample as Sample } from "../test/support/measureProcess.ts";
import { startRegistry, type TestRegistry } from "../test/support/registry.ts";
import {
  buildImage,
  formatRow,
  freshCliBundle,
  header,
  imageBytes,
  MB,
  portcullisCopy,
  type Shape,
  type Summary,
  skopeoCopy,
  summarize,
} from "./copyTools.ts";

const defaults = { size: 420, runs: 5, concurrency: 4, shape: "layers" as Shape };

interface Tool {
  readonly name: string;
  readonly command: (from: string, to: string) => string[];
}

const tools = (concurrency: number): Tool[] => [
  { name: "portcullis", command: (from, to) => portcullisCopy(from, [to], concurrency) },
  { name: "skopeo", command: skopeoCopy },
];

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
async function warmRuns(all: readonly Tool[], source: TestRegistry, runs: number) {
  const target = await startRegistry();
  const proxy: FaultProxy = await startFaultProxy(target.host);
  try {
    await measure(skopeoCopy(`${source.host}/bench/app:v1`, `${proxy.host}/bench/warm:v1`));
    const results = new Map<string, { samples: Sample[]; bytes: number }>(
      all.map((t) => [t.name, { samples: [], bytes: 0 }]),
    );
    for (let run = 0; run < runs; run++) {
      for (const tool of all) {
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

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      size: { type: "string" },
      runs: { type: "string" },
      concurrency: { type: "string" },
      shape: { type: "string" },
    },
  });
  const sizeMb = Number(values.size ?? defaults.size);
  const runs = Number(values.runs ?? defaults.runs);
  const shape = (values.shape ?? defaults.shape) as Shape;
  if (shape !== "layers" && shape !== "dominant")
    throw new Error(`--shape: ${shape} must be layers or dominant`);
  const all = tools(Number(values.concurrency ?? defaults.concurrency));
  const dir = await mkdtemp(join(tmpdir(), "portcullis-bench-"));
  freshCliBundle();
  const source = await startRegistry();
  try {
    const image = await buildImage(dir, source, sizeMb, shape);
    const bytes = imageBytes(image);
    console.log(
      `image (${shape}): ${(bytes / MB).toFixed(0)} MB in ${image.blobs.length} blobs, ${image.manifests.length} manifests; ${runs} runs each, alternating`,
    );
    const cold = new Map<string, Sample[]>(all.map((t) => [t.name, []]));
    for (let run = 0; run < runs; run++)
      for (const tool of all) cold.get(tool.name)?.push(await coldRun(tool, source));
    const warm = await warmRuns(all, source, runs);
    report(cold, warm, bytes);
  } finally {
    await source.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

function report(
  cold: Map<string, Sample[]>,
  warm: Map<string, { samples: Sample[]; bytes: number }>,
  bytes: number,
): void {
  console.log(header(""));
  const rows = new Map<string, Summary>();
  for (const [label, samples] of [
    ["portcullis cold", cold.get("portcullis")],
    ["skopeo cold", cold.get("skopeo")],
    ["portcullis warm", warm.get("portcullis")?.samples],
    ["skopeo warm", warm.get("skopeo")?.samples],
  ] as const) {
    const summary = summarize(samples ?? [], bytes);
    rows.set(label, summary);
    console.log(formatRow(label, summary));
  }
  const ratio = (key: keyof Summary, a: string, b: string) =>
    ((rows.get(a)?.[key] ?? 0) / (rows.get(b)?.[key] ?? 1)).toFixed(2);
  console.log(
    `cold wall portcullis/skopeo: ${ratio("seconds", "portcullis cold", "skopeo cold")} (target ≤ 0.90)`,
  );
  console.log(
    `cold CPU/GB portcullis/skopeo: ${ratio("cpuPerGb", "portcullis cold", "skopeo cold")} (target ≤ 0.70)`,
  );
  console.log(
    `warm wall portcullis/skopeo: ${ratio("seconds", "portcullis warm", "skopeo warm")} (target ≤ 1.00)`,
  );
  const sent = [...warm].map(([name, entry]) => `${name} ${entry.bytes}`).join(", ");
  console.log(`warm blob bytes sent: ${sent}`);
}

await main();
