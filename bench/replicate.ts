/**
 * `npm run bench:replicate [-- --size MB --runs N --concurrency N]`: replication as a platform team would
 * run it. The same two-platform index goes from one source registry (behind a loopback proxy that counts
 * the blob bytes read from it) to one, two and three fresh CNCF distribution registries: with
 * `portcullis copy SRC DST…` (one process, each blob read once) and with one `skopeo copy --all` per
 * target run in parallel, alternating, median of `--runs` runs (at least 5 for the README). Prints wall
 * seconds, user+sys CPU seconds (summed over the parallel skopeo processes) and per GB written, peak RSS
 * (summed, for processes running together), source MB read, and the ratios against the targets:
 * two regions ≤ 0.75 × two parallel skopeo, three ≤ 0.7 ×, the source read once; one target ≤ 0.9 ×
 * skopeo on both image shapes, CPU per GB ≤ 0.7 × skopeo's.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { type FaultProxy, startFaultProxy } from "../test/support/faultProxy.ts";
import { measureProcess, median, type ProcessSample } from "../test/support/measureProcess.ts";
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

const defaults = { size: 420, runs: 5, concurrency: 4 };

/** One case: an image shape to some number of fresh targets. */
interface Scenario {
  readonly shape: Shape;
  readonly targets: number;
}

const SCENARIOS: readonly Scenario[] = [
  { shape: "layers", targets: 1 },
  { shape: "dominant", targets: 1 },
  { shape: "layers", targets: 2 },
  { shape: "layers", targets: 3 },
];

/** How a tool copies one source to some targets: a list of processes run together. */
interface Tool {
  readonly name: (targets: number) => string;
  readonly processes: (from: string, to: readonly string[]) => string[][];
}

const tools = (concurrency: number): Tool[] => [
  {
    name: (n) => (n === 1 ? "portcullis" : `portcullis fan-out to ${n}`),
    processes: (from, to) => [portcullisCopy(from, to, concurrency)],
  },
  {
    name: (n) => (n === 1 ? "skopeo" : `skopeo × ${n} in parallel`),
    processes: (from, to) => to.map((dst) => skopeoCopy(from, dst)),
  },
];

/** A run's figures, with the blob bytes the source served. */
interface RunSample extends ProcessSample {
  readonly sourceBytes: number;
}

/** One run: fresh targets, every process of the tool at once; CPU and RSS summed, wall until the last ends. */
async function run(tool: Tool, scenario: Scenario, source: FaultProxy): Promise<RunSample> {
  const targets = await Promise.all(Array.from({ length: scenario.targets }, () => startRegistry()));
  try {
    source.clear();
    const from = `${source.host}/bench/${scenario.shape}:v1`;
    const to = targets.map((t: TestRegistry) => `${t.host}/bench/app:v1`);
    const started = performance.now();
    const samples = await Promise.all(tool.processes(from, to).map((argv) => measureProcess(argv)));
    return {
      seconds: (performance.now() - started) / 1000,
      cpuSeconds: samples.reduce((sum, s) => sum + s.cpuSeconds, 0),
      peakRssMb: samples.reduce((sum, s) => sum + s.peakRssMb, 0),
      sourceBytes: source.downloadedBytes(),
    };
  } finally {
    await Promise.all(targets.map((t) => t.stop()));
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { size: { type: "string" }, runs: { type: "string" }, concurrency: { type: "string" } },
  });
  const sizeMb = Number(values.size ?? defaults.size);
  const runs = Number(values.runs ?? defaults.runs);
  const all = tools(Number(values.concurrency ?? defaults.concurrency));
  const dir = await mkdtemp(join(tmpdir(), "portcullis-bench-"));
  freshCliBundle();
  const registry = await startRegistry();
  const source = await startFaultProxy(registry.host);
  try {
    const bytes = new Map<Shape, number>();
    for (const shape of ["layers", "dominant"] as const) {
      const image = await buildImage(dir, registry, sizeMb, shape, `bench/${shape}`);
      bytes.set(shape, imageBytes(image));
      console.log(`image ${shape}: ${(imageBytes(image) / MB).toFixed(0)} MB in ${image.blobs.length} blobs`);
    }
    console.log(`${runs} runs per tool and case, alternating; fresh target registries every run`);
    console.log(`${header("")}${"source MB".padStart(11)}`);
    for (const scenario of SCENARIOS)
      await report(scenario, all, source, runs, bytes.get(scenario.shape) ?? 0);
  } finally {
    await source.stop();
    await registry.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

async function report(
  scenario: Scenario,
  all: readonly Tool[],
  source: FaultProxy,
  runs: number,
  bytes: number,
) {
  const samples = all.map(() => [] as RunSample[]);
  for (let n = 0; n < runs; n++) {
    const order = n % 2 === 0 ? all : [...all].reverse();
    for (const tool of order) samples[all.indexOf(tool)]?.push(await run(tool, scenario, source));
  }
  console.log(`— ${scenario.shape}, ${scenario.targets} target${scenario.targets > 1 ? "s" : ""}`);
  const summaries: Summary[] = [];
  all.forEach((tool, i) => {
    const s = samples[i] ?? [];
    const summary = summarize(s, bytes * scenario.targets);
    summaries.push(summary);
    const sourceMb = median(s.map((x) => x.sourceBytes)) / MB;
    console.log(
      `${formatRow(`  ${tool.name(scenario.targets)}`, summary)}${sourceMb.toFixed(0).padStart(11)}`,
    );
  });
  const [ours, theirs] = summaries as [Summary, Summary];
  const wallTarget = scenario.targets === 1 ? 0.9 : scenario.targets === 2 ? 0.75 : 0.7;
  console.log(
    `  ratios portcullis/skopeo: wall ${(ours.seconds / theirs.seconds).toFixed(2)} (target ≤ ${wallTarget.toFixed(2)}), ` +
      `CPU/GB ${(ours.cpuPerGb / theirs.cpuPerGb).toFixed(2)} (target ≤ 0.70), image ${(bytes / MB).toFixed(0)} MB`,
  );
}

await main();
