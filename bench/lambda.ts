/**
 * `npm run bench:lambda [-- --runs N]`: bundles every functions/*.ts as the stacks deploy it
 * (src/lambda/bundling.ts: minified, tree-shaken, platform node, target node22, ESM, AWS SDK bundled, split) and
 * prints each bundle's size (all files, and the chunks loaded at init) and its module-init time — the
 * median, over N cold `node` processes, of the time to import the bundle (settings read, policy parsed, SDK
 * clients created), as wall time and as the process's CPU time (wall time on a shared machine mostly measures the
 * neighbours). Targets: ≤ 1 MB and ≤ 150 ms. Peers in the same run: an empty module (node's own import cost) and
 * a plain single-file bundle with esbuild's defaults for node (no splitting, CommonJS builds first, all zod
 * locales), so the tuning shows.
 */
import { spawn } from "node:child_process";
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { loadavg } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { build } from "esbuild";
import { lambdaEsbuildOptions } from "../src/lambda/bundling.ts";
import { parsePolicy } from "../src/policy/parsePolicy.ts";
import { median } from "../test/support/measureProcess.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const OUT = join(ROOT, "bench/out/lambda");
const MAX_BYTES = 1024 * 1024;
const MAX_INIT_MS = 150;
/** The policy as the stacks bundle it: the YAML validated at synth, written as JSON (no YAML parser at init). */
const POLICY_YAML = "test/fixtures/policies/payments.yaml";
const POLICY = "bench/out/lambda/policy.json";

/** What the stacks set; values only need to be valid (nothing is called at init). */
const ENVIRONMENT: Record<string, string> = {
  AWS_REGION: "us-east-1",
  AWS_ACCESS_KEY_ID: "bench",
  AWS_SECRET_ACCESS_KEY: "bench",
  AWS_LAMBDA_INITIALIZATION_TYPE: "on-demand",
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
  PORTCULLIS_ACCOUNT: "123456789012",
  PORTCULLIS_PRIMARY_REGION: "us-east-1",
  PORTCULLIS_REPLICA_REGIONS: "eu-west-1,ap-southeast-2",
  PORTCULLIS_REPOSITORIES: "team/app",
  PORTCULLIS_TABLE_NAME: "portcullis-bench-State",
  PORTCULLIS_EVENT_BUS: "portcullis-bench",
  PORTCULLIS_TOPIC_ARN: "arn:aws:sns:us-east-1:123456789012:portcullis-bench",
  PORTCULLIS_POLICY_FILE: POLICY,
  PORTCULLIS_RELEASE_BRANCHES: "main",
  PORTCULLIS_RELEASE_TAG_PATTERNS: "v*",
  PORTCULLIS_SCANNING: "basic",
  PORTCULLIS_REPOSITORY_SETTINGS: JSON.stringify({
    scanOnPush: true,
    tagMutability: { imageTagMutability: "IMMUTABLE_WITH_EXCLUSION", filters: ["main", "latest"] },
    encryption: "KMS",
    lifecyclePolicy: {
      rules: [
        {
          rulePriority: 1,
          description: "Expire untagged manifests after 14 days",
          selection: {
            tagStatus: "untagged",
            countType: "sinceImagePushed",
            countUnit: "days",
            countNumber: 14,
          },
          action: { type: "expire" },
        },
      ],
    },
  }),
  PORTCULLIS_GITHUB_APP_SECRET: "portcullis/github-app",
  PORTCULLIS_SLACK_WEBHOOK_SECRET: "portcullis/slack-webhook",
};

interface Bundle {
  readonly name: string;
  /** The entry chunk Lambda imports. */
  readonly file: string;
  /** The entry chunk and every chunk it imports statically: what is loaded at init. */
  readonly initBytes: number;
  /** Every file of the bundle (chunks loaded only on demand included). */
  readonly totalBytes: number;
}

/** Bundles one entry point as deployed, or (`plain`) as esbuild bundles for node by default: the peer. */
async function bundle(entry: string, variant: "deployed" | "plain"): Promise<Bundle> {
  const name = basename(entry, ".ts");
  const outdir = join(OUT, variant, name);
  const options =
    variant === "deployed"
      ? lambdaEsbuildOptions
      : ({
          bundle: true,
          minify: true,
          platform: "node",
          target: "node22",
          format: "esm",
          banner: lambdaEsbuildOptions.banner,
          outExtension: lambdaEsbuildOptions.outExtension,
        } as const);
  const { metafile } = await build({
    ...options,
    entryPoints: { index: entry },
    outdir,
    metafile: true,
    logLevel: "error",
  });
  const outputs = metafile.outputs;
  const entryKey = Object.keys(outputs).find((key) => key.endsWith("/index.mjs")) ?? "";
  const loaded = new Set<string>();
  const visit = (key: string): void => {
    if (loaded.has(key)) return;
    loaded.add(key);
    for (const imported of outputs[key]?.imports ?? [])
      if (imported.kind === "import-statement" && imported.path in outputs) visit(imported.path);
  };
  visit(entryKey);
  const bytesOf = (keys: Iterable<string>) =>
    [...keys].reduce((sum, key) => sum + (outputs[key]?.bytes ?? 0), 0);
  return {
    name,
    file: join(outdir, "index.mjs"),
    initBytes: bytesOf(loaded),
    totalBytes: bytesOf(Object.keys(outputs)),
  };
}

/** One cold import: wall and CPU milliseconds. */
interface Sample {
  readonly wall: number;
  readonly cpu: number;
}

/** Import time of a module in a fresh `node` (what Lambda's init phase spends on it). */
function importMs(file: string): Promise<Sample> {
  const script =
    "const c=process.cpuUsage(),s=performance.now();await import(process.argv[1]);const w=performance.now()-s,u=process.cpuUsage(c);" +
    "process.stdout.write(w+' '+(u.user+u.system)/1000);";
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", script, file], {
      env: { PATH: process.env.PATH ?? "", ...ENVIRONMENT, LAMBDA_TASK_ROOT: ROOT },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk;
    });
    child.once("exit", (code) => {
      const [wall, cpu] = (stdout.trim().split("\n").at(-1) ?? "").split(" ").map(Number);
      if (code === 0 && Number.isFinite(wall) && Number.isFinite(cpu))
        resolve({ wall: wall ?? 0, cpu: cpu ?? 0 });
      else reject(new Error(`importing ${file} exited ${code}:\n${stderr}`));
    });
  });
}

/** Median import time over `runs` cold processes, the files interleaved so machine noise spreads evenly. */
async function measure(files: readonly string[], runs: number): Promise<Map<string, Sample>> {
  const samples = new Map<string, Sample[]>(files.map((file) => [file, []]));
  for (let run = 0; run < runs; run++)
    for (const file of files) samples.get(file)?.push(await importMs(file));
  return new Map(
    [...samples].map(([file, values]) => [
      file,
      { wall: median(values.map((v) => v.wall)), cpu: median(values.map((v) => v.cpu)) },
    ]),
  );
}

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(0)} KB`;
}

function ms(sample: Sample | undefined): string {
  return sample === undefined ? "?" : `${sample.wall.toFixed(0)} / ${sample.cpu.toFixed(0)}`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: "string", default: "7" } } });
  const runs = Number(values.runs);
  await rm(OUT, { recursive: true, force: true });
  await mkdir(OUT, { recursive: true });
  const entries = (await readdir(join(ROOT, "functions")))
    .filter((file) => file.endsWith(".ts"))
    .sort()
    .map((file) => join(ROOT, "functions", file));
  const policy = parsePolicy(await readFile(join(ROOT, POLICY_YAML), "utf8"), POLICY_YAML);
  if (!policy.ok) throw new Error(`invalid ${POLICY_YAML}`);
  await writeFile(join(ROOT, POLICY), JSON.stringify(policy.value));
  const deployed = await Promise.all(entries.map((entry) => bundle(entry, "deployed")));
  const plain = await Promise.all(entries.map((entry) => bundle(entry, "plain")));
  const empty = join(OUT, "empty.mjs");
  await build({ stdin: { contents: "export {};" }, outfile: empty, format: "esm", logLevel: "error" });
  const load = loadavg()[0] ?? 0;
  console.log(
    `Lambda bundles: ${entries.length} functions, ${runs} cold node processes each, node ${process.version}, ` +
      `load average ${load.toFixed(1)} on this machine (wall times grow with it; CPU times much less)`,
  );
  const times = await measure([empty, ...deployed.map((b) => b.file), ...plain.map((b) => b.file)], runs);
  const target = `≤ 1 MB, ≤ ${MAX_INIT_MS} ms`;
  const rows = deployed.map((b, i) => {
    const peer = plain[i] as Bundle;
    const init = times.get(b.file);
    const ok = b.totalBytes <= MAX_BYTES && (init?.cpu ?? Number.POSITIVE_INFINITY) <= MAX_INIT_MS;
    return {
      function: b.name,
      "size (at init)": `${kb(b.totalBytes)} (${kb(b.initBytes)})`,
      "init ms wall / cpu": ms(init),
      "plain bundle size": kb(peer.totalBytes),
      "plain init wall / cpu": ms(times.get(peer.file)),
      [target]: ok ? (init && init.wall > MAX_INIT_MS ? "yes (cpu)" : "yes") : "NO",
    };
  });
  console.table(rows);
  console.log(`empty module (node's own import cost): ${ms(times.get(empty))} ms wall / cpu`);
  const failed = rows.filter((row) => row[target] === "NO");
  if (failed.length > 0) {
    console.log(`over target: ${failed.map((row) => row.function).join(", ")}`);
    process.exitCode = 1;
  }
}

await main();
