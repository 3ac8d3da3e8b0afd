import { randomUUID } from "node:crypto";
import { expect } from "vitest";
import type { Digest } from "../../../src/core/index.ts";
import { resolveSettings } from "../../../src/handlers/edge/handlerSettings.ts";
import type { RegistryDirectory } from "../../../src/handlers/index.ts";
import type { RollbackContext } from "../../../src/handlers/rollback/rollbackRelease.ts";
import { createRegistryClient, promote, type RegistryClient } from "../../../src/registry/index.ts";
import type { PromotedCandidate } from "../../../src/release/index.ts";
import {
  type CandidateStore,
  createReleaseStore,
  createTable,
  DynamoReleaseCatalog,
  updateTagHistory,
} from "../../../src/store/index.ts";
import { startRegistry, type TestRegistry } from "../../support/registry.ts";
import { type DynaliteHandle, startDynalite } from "../../support/startDynalite.ts";
import { pushTestImage, randomImage } from "../../support/testImages.ts";
import { FakeFindings } from "./fakeFindings.ts";
import { testPolicy } from "./harness.ts";
import {
  RecordingBus,
  RecordingLog,
  RecordingMetrics,
  RecordingNotifications,
  TestClock,
} from "./recorders.ts";

export const PRIMARY = "us-east-1";
export const REPLICA = "eu-west-1";
export const REPO = "team/app";
export const COMMIT_A = "a".repeat(40);
export const COMMIT_B = "b".repeat(40);

let dynamo: DynaliteHandle;
/** The dynalite client the worlds share (the IAM checks watch its requests). */
export const dynamoClient = () => dynamo.client;
let registries: Record<string, TestRegistry>;
export let clients: Record<string, RegistryClient>;

/** Starts dynalite and a registry per region (call in beforeAll). */
export async function startRollbackServices(): Promise<void> {
  const [d, primary, replica] = await Promise.all([startDynalite(), startRegistry(), startRegistry()]);
  dynamo = d;
  registries = { [PRIMARY]: primary, [REPLICA]: replica };
  clients = { [PRIMARY]: createRegistryClient(primary.host), [REPLICA]: createRegistryClient(replica.host) };
}

/** Stops them (call in afterAll). */
export async function stopRollbackServices(): Promise<void> {
  for (const client of Object.values(clients ?? {})) client.close();
  await Promise.all([dynamo?.stop(), ...Object.values(registries ?? {}).map((r) => r.stop())]);
}

/** Regions by name; a region in `down` answers like an unreachable registry. */
export class Directory implements RegistryDirectory {
  readonly down = new Set<string>();
  clientFor(region: string): RegistryClient {
    const client = clients[region];
    if (!client) throw new Error(`no registry for ${region}`);
    if (!this.down.has(region)) return client;
    return new Proxy(client, {
      get(target, prop) {
        if (prop === "registry") return target.registry;
        return () => Promise.reject(new Error(`connect ECONNREFUSED (${region} is down)`));
      },
    });
  }
}

export interface World {
  ctx: RollbackContext;
  store: CandidateStore;
  directory: Directory;
  findings: FakeFindings;
  notifications: RecordingNotifications;
  events: RecordingBus;
  clock: TestClock;
  repository: string;
  a: PromotedCandidate;
  b: PromotedCandidate;
  tagIn(region: string, tag: string): Promise<Digest | undefined>;
}

/** Two releases promoted in turn in both regions: 1.0.0 (A) then 1.1.0 (B), which took latest and 1. */
export async function world(): Promise<World> {
  const tableName = `rollback-${randomUUID()}`;
  await createTable(dynamo.client, tableName);
  const store = createReleaseStore({ client: dynamo.client, tableName });
  const catalog = new DynamoReleaseCatalog({ client: dynamo.client, tableName });
  const repository = `${REPO}-${randomUUID().slice(0, 8)}`;
  const clock = new TestClock(new Date("2026-03-01T10:00:00.000Z"));
  const findings = new FakeFindings();
  const notifications = new RecordingNotifications();
  const events = new RecordingBus();
  const directory = new Directory();
  const a = await release(store, findings, repository, COMMIT_A, "1.0.0", clock);
  clock.advance(10);
  const b = await release(store, findings, repository, COMMIT_B, "1.1.0", clock);
  const ctx: RollbackContext = {
    store,
    catalog,
    registry: directory,
    findings,
    notifications,
    events,
    clock,
    log: new RecordingLog(),
    metrics: new RecordingMetrics(),
    settings: resolveSettings({
      account: "123456789012",
      regions: [PRIMARY],
      repositories: [repository],
      replicaRegions: [REPLICA],
      policy: testPolicy(),
    }),
  };
  return {
    ctx,
    store,
    directory,
    findings,
    notifications,
    events,
    clock,
    repository,
    a,
    b,
    tagIn: async (region, tag) => (await clients[region]?.headManifest(repository, tag))?.digest,
  };
}

export async function release(
  store: CandidateStore,
  findings: FakeFindings,
  repository: string,
  commit: string,
  version: string,
  clock: TestClock,
): Promise<PromotedCandidate> {
  const image = await randomImage([512]);
  const digest = image.root.digest;
  const floating = ["latest", "1", version.split(".").slice(0, 2).join(".")];
  const tags = [version, ...floating];
  for (const client of Object.values(clients)) {
    await pushTestImage(client, repository, image);
    await promote({ client, image: { registry: client.registry, repository, digest }, tags });
  }
  for (const tag of tags)
    await updateTagHistory(
      store,
      { region: PRIMARY, repository },
      tag,
      { kind: "promoted", digest },
      clock.now(),
    );
  findings.set(repository, digest, "clean");
  const at = clock.now().toISOString();
  const state: PromotedCandidate = {
    schema: 1,
    key: { region: PRIMARY, repository, digest },
    kind: "image",
    children: [{ digest, platform: "linux/amd64", mediaType: image.root.mediaType }],
    git: { source: "https://github.com/org/app", revision: commit, ref: `refs/tags/v${version}` },
    tags: { build: `sha-${commit}`, promotion: tags },
    scans: {},
    registeredAt: at,
    deadline: at,
    version: 1,
    seenEvents: [],
    phase: "promoted",
    decision: { outcome: "passed", at, reasons: [] },
    promotion: { tags, at },
    replicas: { [REPLICA]: { status: "replicated", attempts: 1, at } },
  };
  expect(await store.createCandidate(state)).toBe("created");
  return state;
}
