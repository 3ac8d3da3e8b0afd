/**
 * `npm run bench:burst [-- --candidates N --concurrency N --duplicates 0.2]`: N multi-arch candidates (an OCI
 * index with amd64 and arm64 images and their attestations, git metadata in its annotations, released from a
 * `v1.0.<i>` tag) are pushed to a local distribution registry; their events — one push and two scans each, 20 %
 * of them delivered twice — are shuffled and fed through the register and gate handlers by `concurrency`
 * workers (as concurrent Lambda invocations would be, a failed one retried twice like Lambda's async retry),
 * with the state in dynalite. Prints events/s and per-event latency, with a one-worker run in the same process as
 * the peer, and asserts exactly-once outcomes — each candidate registered, decided, promoted and notified once,
 * its version tag on its own digest — and, separately, that the floating tags (`1.0`, `1`, `latest`) end on the
 * newest release whatever order the events came in. Exits 1 when either fails.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { type Digest, MediaType } from "../src/core/index.ts";
import type { PortcullisEvent } from "../src/events/index.ts";
import { createGateHandler } from "../src/handlers/gate/createGateHandler.ts";
import type { HandlerDeps } from "../src/handlers/HandlerDeps.ts";
import type { Notification } from "../src/handlers/ports.ts";
import { createRegisterHandler } from "../src/handlers/register/createRegisterHandler.ts";
import { LocalFindingsSource } from "../src/local/adapters/LocalFindingsSource.ts";
import { LocalRegistryDirectory } from "../src/local/adapters/LocalRegistryDirectory.ts";
import { imagePushedEvent, imageScanEvent } from "../src/local/ecr/ecrEvents.ts";
import { parsePolicy } from "../src/policy/parsePolicy.ts";
import { createRegistryClient, digestOf, type RegistryClient } from "../src/registry/index.ts";
import { createReleaseStore, createTable } from "../src/store/index.ts";
import { median } from "../test/support/measureProcess.ts";
import { freePort, startRegistry } from "../test/support/registry.ts";
import { pushTestImage, randomIndex } from "../test/support/testImages.ts";

// The lock file pins AWS SDK releases that support Node 20 (see DEVELOPERS.md): their upgrade notice is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const ACCOUNT = "123456789012";
const REGION = "us-east-1";
const origin = { account: ACCOUNT, region: REGION };

interface Candidate {
  readonly index: Digest;
  readonly children: readonly Digest[];
  readonly version: string;
  readonly commit: string;
}

interface Run {
  readonly concurrency: number;
  readonly events: number;
  readonly seconds: number;
  /** CPU seconds of this (the handlers') process during the run. */
  readonly cpuSeconds: number;
  readonly latencies: number[];
  readonly retried: number;
  readonly failures: string[];
  readonly published: PortcullisEvent[];
  readonly notifications: Notification[];
}

/**
 * dynalite in its own process, as DynamoDB is its own service: the handlers' process keeps its core to itself.
 */
async function startDynaliteProcess(): Promise<{ client: DynamoDBClient; stop(): Promise<void> }> {
  const port = await freePort();
  const cli = join(ROOT, "node_modules/dynalite/cli.js");
  const args = [cli, "--host", "127.0.0.1", "--port", String(port), "--createTableMs", "0"];
  const child = spawn(process.execPath, args, { stdio: "ignore" });
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: REGION,
    credentials: { accessKeyId: "bench", secretAccessKey: "bench" },
    maxAttempts: 1,
  });
  const stop = async () => {
    client.destroy();
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      await once(child, "exit");
    }
  };
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      await client.send(new ListTablesCommand({}));
      return { client, stop };
    } catch {
      await sleep(50);
    }
  }
  await stop();
  throw new Error(`dynalite did not answer on port ${port}`);
}

/** A deterministic shuffle (mulberry32), so runs are comparable. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  let state = seed;
  const random = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** Pushes candidate `i`: a random two-platform index annotated with its source, commit and tag ref. */
async function pushCandidate(client: RegistryClient, repository: string, i: number): Promise<Candidate> {
  const image = await randomIndex({ sharedLayers: [8 * 1024], platformLayers: [2 * 1024] });
  const commit = digestOf(Buffer.from(`${repository}#${i}`)).slice("sha256:".length, "sha256:".length + 40);
  const version = `1.0.${i}`;
  const index = JSON.parse(image.root.bytes.toString("utf8")) as {
    manifests: { digest: Digest; platform: { os: string } }[];
  };
  const annotated = Buffer.from(
    JSON.stringify({
      ...index,
      annotations: {
        "org.opencontainers.image.source": "https://github.com/octo-org/app",
        "org.opencontainers.image.revision": commit,
        "org.opencontainers.image.ref.name": `refs/tags/v${version}`,
      },
    }),
  );
  const root = { mediaType: MediaType.OciIndex, digest: digestOf(annotated), bytes: annotated };
  await pushTestImage(
    client,
    repository,
    { ...image, root, manifests: [...image.manifests.slice(0, -1), root] },
    `sha-${commit}`,
  );
  const children = index.manifests.filter((m) => m.platform.os !== "unknown").map((m) => m.digest);
  return { index: root.digest, children, version, commit };
}

/** Every event ECR would send for the candidates, a share of them twice, shuffled. */
function burstEvents(
  repository: string,
  candidates: readonly Candidate[],
  duplicates: number,
  seed: number,
): unknown[] {
  const events = candidates.flatMap((c) => [
    imagePushedEvent(origin, {
      repository,
      digest: c.index,
      tag: `sha-${c.commit}`,
      mediaType: MediaType.OciIndex,
    }),
    ...c.children.map((digest) => imageScanEvent(origin, { repository, digest, status: "COMPLETE" })),
  ]);
  const twice = shuffled(events, seed).slice(0, Math.round(events.length * duplicates));
  return shuffled([...events, ...twice], seed + 1);
}

async function run(
  deps: Omit<HandlerDeps, "events" | "notifications">,
  events: readonly unknown[],
  concurrency: number,
): Promise<Run> {
  const published: PortcullisEvent[] = [];
  const notifications: Notification[] = [];
  const full: HandlerDeps = {
    ...deps,
    events: { publish: async (batch) => void published.push(...batch) },
    notifications: { publish: async (n) => void notifications.push(n) },
  };
  const register = createRegisterHandler(full);
  const gate = createGateHandler(full);
  const queue = events.map((event) => ({ event, attempt: 0 }));
  const latencies: number[] = [];
  const failures: string[] = [];
  let retried = 0;
  const started = performance.now();
  const cpu = process.cpuUsage();
  async function worker(): Promise<void> {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) {
      const t0 = performance.now();
      const type = (item.event as Record<string, unknown>)["detail-type"];
      try {
        await (type === "ECR Image Action" ? register(item.event) : gate(item.event));
        latencies.push(performance.now() - t0);
      } catch (error) {
        if (item.attempt < 2) {
          retried++;
          queue.push({ event: item.event, attempt: item.attempt + 1 });
        } else failures.push(`${String(type)}: ${(error as Error).message}`);
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  return {
    concurrency,
    events: events.length,
    cpuSeconds: (used.user + used.system) / 1e6,
    seconds,
    latencies,
    retried,
    failures,
    published,
    notifications,
  };
}

/** Every way the run departs from exactly-once; empty when it holds. */
async function check(r: Run, client: RegistryClient, repository: string, candidates: readonly Candidate[]) {
  const problems: string[] = [...r.failures.map((f) => `gave up: ${f}`)];
  const count = (type: string, digest: string) =>
    r.published.filter((e) => e["detail-type"] === type && e.detail.candidate.digest === digest).length;
  for (const c of candidates) {
    for (const type of ["Candidate Registered", "Release Decided", "Image Promoted"])
      if (count(type, c.index) !== 1) problems.push(`${c.version}: ${count(type, c.index)} × ${type}`);
    const decided = r.published.find(
      (e) => e["detail-type"] === "Release Decided" && e.detail.candidate.digest === c.index,
    );
    if (decided && (decided.detail as { outcome?: string }).outcome !== "passed")
      problems.push(`${c.version}: not passed`);
    const notes = r.notifications.filter((n) => n.id.includes(c.index)).length;
    if (notes !== 1) problems.push(`${c.version}: ${notes} notifications`);
    const tagged = await client.headManifest(repository, c.version);
    if (tagged?.digest !== c.index)
      problems.push(`${c.version}: tag points at ${tagged?.digest ?? "nothing"}`);
  }
  return problems;
}

/**
 * Whether the floating tags (`1.0`, `1`, `latest`) ended on the newest release: they must never move backwards,
 * even when an older release's events arrive last.
 */
async function checkOrder(client: RegistryClient, repository: string, candidates: readonly Candidate[]) {
  const newest = candidates.at(-1);
  const problems: string[] = [];
  for (const tag of ["1.0", "1", "latest"]) {
    const at = (await client.headManifest(repository, tag))?.digest;
    if (at === newest?.index) continue;
    const which = candidates.find((c) => c.index === at)?.version ?? at ?? "nothing";
    problems.push(`${tag} points at ${which}, not the newest release ${newest?.version}`);
  }
  return problems;
}

function report(r: Run): Record<string, string | number> {
  const sorted = [...r.latencies].sort((a, b) => a - b);
  return {
    workers: r.concurrency,
    events: r.events,
    seconds: Number(r.seconds.toFixed(2)),
    "events/s": Number((r.events / r.seconds).toFixed(1)),
    "p50 ms": Number(median(sorted).toFixed(1)),
    "p95 ms": Number((sorted[Math.floor(sorted.length * 0.95)] ?? 0).toFixed(1)),
    "handler CPU %": Math.round((100 * r.cpuSeconds) / r.seconds),
    retried: r.retried,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      candidates: { type: "string", default: "50" },
      concurrency: { type: "string", default: "8" },
      duplicates: { type: "string", default: "0.2" },
    },
  });
  const n = Number(values.candidates);
  const concurrency = Number(values.concurrency);
  const duplicates = Number(values.duplicates);
  const [registry, dynalite] = await Promise.all([startRegistry(), startDynaliteProcess()]);
  const findings = await mkdtemp(join(tmpdir(), "portcullis-burst-"));
  const client = createRegistryClient(registry.host);
  try {
    const clean = {
      imageScanStatus: { status: "COMPLETE" },
      imageScanFindings: { findings: [], findingSeverityCounts: {} },
    };
    for (const platform of ["linux-amd64", "linux-arm64"])
      await writeFile(join(findings, `${platform}.json`), JSON.stringify(clean));
    const policy = parsePolicy(await readFile(join(ROOT, "test/fixtures/policies/payments.yaml"), "utf8"));
    if (!policy.ok) throw new Error("the bench policy is invalid");
    console.log(
      `bench:burst: ${n} candidates × (1 push + 2 scans), ${duplicates * 100}% duplicated, shuffled`,
    );
    const rows: Record<string, string | number>[] = [];
    const problems: string[] = [];
    const order: string[] = [];
    for (const [i, workers] of [concurrency, 1].entries()) {
      const repository = `burst/run${i}`;
      const tableName = `burst-${i}`;
      await createTable(dynalite.client, tableName);
      const candidates: Candidate[] = [];
      for (let c = 0; c < n; c++) candidates.push(await pushCandidate(client, repository, c));
      const deps: Omit<HandlerDeps, "events" | "notifications"> = {
        store: createReleaseStore({ client: dynalite.client, tableName }),
        registry: new LocalRegistryDirectory({ hosts: { [REGION]: registry.host } }),
        findings: new LocalFindingsSource({ folder: findings, account: ACCOUNT }),
        clock: { now: () => new Date() },
        log: { debug() {}, info() {}, warn() {}, error() {} },
        metrics: { count() {}, duration() {} },
        settings: {
          account: ACCOUNT,
          regions: [REGION],
          repositories: [repository],
          replicaRegions: [],
          policy: policy.value,
          tagRules: { latest: "release", floatingTags: true },
          refFilter: { branches: ["main"], tagPatterns: ["v*"] },
          scanner: "basic",
        },
      };
      const result = await run(deps, burstEvents(repository, candidates, duplicates, 42 + i), workers);
      rows.push(report(result));
      problems.push(
        ...(await check(result, client, repository, candidates)).map((p) => `${workers} worker(s): ${p}`),
      );
      order.push(
        ...(await checkOrder(client, repository, candidates)).map((p) => `${workers} worker(s): ${p}`),
      );
    }
    console.table(rows);
    if (problems.length > 0) {
      console.log(`exactly-once VIOLATED (${problems.length}):\n  ${problems.slice(0, 30).join("\n  ")}`);
      process.exitCode = 1;
    } else
      console.log(
        "exactly-once: every candidate registered, decided, promoted and notified once, its version tag on its digest",
      );
    if (order.length > 0) {
      console.log(`floating tags moved backwards (${order.length}):\n  ${order.join("\n  ")}`);
      process.exitCode = 1;
    } else console.log("floating tags: 1.0, 1 and latest on the newest release");
  } finally {
    client.close();
    await Promise.all([registry.stop(), dynalite.stop(), rm(findings, { recursive: true, force: true })]);
  }
}

await main();
