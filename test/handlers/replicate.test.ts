import { once } from "node:events";
import { connect, createServer, type Server, type Socket } from "node:net";
import {
  CreateRepositoryCommand,
  ECRClient,
  GetLifecyclePolicyCommand,
  PutLifecyclePolicyCommand,
} from "@aws-sdk/client-ecr";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { EcrRepositoryProvisioner } from "../../src/aws/EcrRepositoryProvisioner.ts";
import { regionalClients } from "../../src/aws/regionalClients.ts";
import { parseConfig, repositorySettings } from "../../src/config/index.ts";
import { ATTESTATION_REFERENCE_TYPE, type Digest, MediaType, ValidationError } from "../../src/core/index.ts";
import { type PortcullisEvent, portcullisEvent } from "../../src/events/index.ts";
import type { Notification, RegistryDirectory } from "../../src/handlers/ports.ts";
import {
  createReplicateHandler,
  type ReplicateHandlerDeps,
} from "../../src/handlers/replicate/createReplicateHandler.ts";
import { ReplicationIncompleteError } from "../../src/handlers/replicate/replicateErrors.ts";
import {
  createRegistryClient,
  findReferrers,
  promote,
  type RegistryClient,
  type RetryOptions,
} from "../../src/registry/index.ts";
import { pushReferrer } from "../../src/registry/referrers/pushReferrer.ts";
import {
  type Candidate,
  decide,
  markPromoted,
  type PromotedCandidate,
  recordScan,
  registerCandidate,
} from "../../src/release/index.ts";
import { createTable, DynamoReleaseStore } from "../../src/store/index.ts";
import { startFaultProxy } from "../support/faultProxy.ts";
import { startRegistry, type TestRegistry } from "../support/registry.ts";
import { skopeoRaw } from "../support/skopeo.ts";
import { type DynaliteHandle, startDynalite } from "../support/startDynalite.ts";
import { artifactFor } from "../support/testArtifacts.ts";
import { pushTestImage, randomIndex, type TestImage } from "../support/testImages.ts";

const PRIMARY = "us-east-1";
const EU = "eu-west-1";
const AP = "ap-southeast-2";
const ACCOUNT = "123456789012";
const COMMIT = "0123456789abcdef0123456789abcdef01234567";
const retry: RetryOptions = { retries: 1, baseDelayMs: 10, maxDelayMs: 50, maxRetryAfterMs: 1000 };
const ecrMock = mockClient(ECRClient);

/** A stable loopback address for a "region" whose registry can be stopped and replaced behind it. */
interface Forwarder {
  readonly host: string;
  target: string;
  stop(): Promise<void>;
}

async function startForwarder(target: string): Promise<Forwarder> {
  const sockets = new Set<Socket>();
  const state = { target };
  const server: Server = createServer((socket) => {
    const [host, port] = state.target.split(":");
    const upstream = connect(Number(port), host);
    for (const s of [socket, upstream]) {
      sockets.add(s);
      s.on("error", () => undefined);
      s.on("close", () => {
        sockets.delete(s);
        socket.destroy();
        upstream.destroy();
      });
    }
    socket.pipe(upstream).pipe(socket);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  return {
    host: `127.0.0.1:${address.port}`,
    get target() {
      return state.target;
    },
    set target(value: string) {
      state.target = value;
      for (const s of sockets) s.destroy();
    },
    async stop() {
      for (const s of sockets) s.destroy();
      server.close();
      await once(server, "close");
    },
  };
}

let dynalite: DynaliteHandle;
let primary: TestRegistry;
let eu: TestRegistry;
let ap: TestRegistry;
let apForwarder: Forwarder;
const tableName = "portcullis-replicate";
let store: DynamoReleaseStore<Candidate>;
let clients: Record<string, RegistryClient>;

beforeAll(async () => {
  [dynalite, primary, eu, ap] = await Promise.all([
    startDynalite(),
    startRegistry(),
    startRegistry(),
    startRegistry(),
  ]);
  await createTable(dynalite.client, tableName);
  store = new DynamoReleaseStore<Candidate>({
    client: dynalite.client,
    tableName,
    indexing: (s) => ({ phase: s.phase }),
  });
  apForwarder = await startForwarder(ap.host);
  clients = {
    [PRIMARY]: createRegistryClient(primary.host, { retry }),
    [EU]: createRegistryClient(eu.host, { retry }),
    [AP]: createRegistryClient(apForwarder.host, { retry }),
  };
});

afterAll(async () => {
  for (const client of Object.values(clients ?? {})) client.close();
  await apForwarder?.stop();
  await Promise.all([primary?.stop(), eu?.stop(), ap?.stop(), dynalite?.stop()]);
});

beforeEach(() => {
  ecrMock.reset();
  ecrMock.on(CreateRepositoryCommand).resolves({});
  ecrMock.on(PutLifecyclePolicyCommand).resolves({});
  ecrMock.on(GetLifecyclePolicyCommand).resolves({ lifecyclePolicyText: "{}" });
});

const config = parseConfig({
  primaryRegion: PRIMARY,
  replicaRegions: [EU, AP],
  repositories: [{ name: "team/app" }],
  github: { owner: "octo-org", repo: "app" },
});
if (!config.ok) throw new Error(JSON.stringify(config.error));
const settings = repositorySettings(config.value);
if (!settings.ok) throw new Error(JSON.stringify(settings.error));

/** Everything the handler did that is visible outside the store and the registries. */
interface Recorded {
  readonly events: PortcullisEvent[];
  readonly notifications: Notification[];
}

function deps(
  recorded: Recorded,
  directory: RegistryDirectory = { clientFor: (region) => clients[region] as RegistryClient },
) {
  const ecr = regionalClients(
    (region) => new ECRClient({ region, credentials: { accessKeyId: "k", secretAccessKey: "s" } }),
  );
  return {
    store,
    registry: directory,
    provisioner: new EcrRepositoryProvisioner({
      ecr,
      settings: settings.ok ? settings.value : (undefined as never),
    }),
    events: { publish: async (events) => void recorded.events.push(...events) },
    notifications: { publish: async (n) => void recorded.notifications.push(n) },
    clock: { now: () => new Date() },
    log: { debug() {}, info() {}, warn() {}, error() {} },
    metrics: { count() {}, duration() {} },
    settings: {
      account: ACCOUNT,
      regions: [PRIMARY],
      repositories: ["team/app", "team/other", "team/signed"],
    },
    options: { retry },
  } satisfies ReplicateHandlerDeps;
}

function recorder(): Recorded {
  return { events: [], notifications: [] };
}

/** Runs the handler and narrows its result to a replication (not a refusal). */
async function replicated(handler: ReturnType<typeof createReplicateHandler>, event: unknown) {
  const result = await handler(event);
  if (result.kind !== "replication") throw new Error(`refused: ${JSON.stringify(result)}`);
  return result;
}

/** Pushes a random multi-arch index to the primary, tags it as promoted, and stores it as a promoted candidate. */
async function promotedCandidate(
  repository: string,
  tags = ["main", "latest"],
): Promise<{ image: TestImage; state: PromotedCandidate }> {
  const image = await randomIndex({ sharedLayers: [256 * 1024], platformLayers: [32 * 1024] });
  const client = clients[PRIMARY] as RegistryClient;
  await pushTestImage(client, repository, image, `sha-${COMMIT}`);
  await promote({
    client,
    image: { registry: client.registry, repository, digest: image.root.digest },
    tags,
  });
  const index = JSON.parse(image.root.bytes.toString("utf8")) as {
    manifests: {
      digest: Digest;
      platform: { os: string; architecture: string };
      annotations?: Record<string, string>;
    }[];
  };
  const children = index.manifests
    .filter((m) => m.annotations?.[ATTESTATION_REFERENCE_TYPE] === undefined)
    .map((m) => ({
      digest: m.digest,
      platform: `${m.platform.os}/${m.platform.architecture}`,
      mediaType: MediaType.OciManifest,
    }));
  const now = new Date();
  let state = expectChanged(
    registerCandidate({
      key: { region: PRIMARY, repository, digest: image.root.digest },
      kind: "index",
      children,
      git: { revision: COMMIT, ref: "refs/heads/main", source: "https://github.com/octo-org/app" },
      tags: { build: `sha-${COMMIT}`, promotion: tags },
      now,
      timeoutMinutes: 60,
    }),
  );
  for (const [i, child] of children.entries())
    state = expectChanged(
      recordScan(state, {
        digest: child.digest,
        status: "COMPLETE",
        scanner: "basic",
        at: now,
        eventId: `scan-${i}`,
      }),
    );
  state = expectChanged(decide(state, { outcome: "passed", reasons: [], now }));
  const promoted = expectChanged(
    markPromoted(state, { tags, now, replicateTo: [EU, AP] }),
  ) as PromotedCandidate;
  if ((await store.createCandidate({ ...promoted, version: 1 })) !== "created")
    throw new Error("not created");
  return { image, state: { ...promoted, version: 1 } };
}

function expectChanged(transition: ReturnType<typeof decide>): Candidate {
  if (transition.kind !== "changed") throw new Error(`expected a change: ${JSON.stringify(transition)}`);
  return transition.state;
}

function promotedEvent(state: PromotedCandidate, overrides: { account?: string } = {}): unknown {
  return portcullisEvent(
    "Image Promoted",
    { candidate: state.key, git: { commit: COMMIT }, tags: [...state.promotion.tags] },
    { account: overrides.account ?? ACCOUNT },
  );
}

async function stored(state: PromotedCandidate): Promise<PromotedCandidate> {
  return (await store.getCandidate(state.key)) as PromotedCandidate;
}

/** Every manifest of the image reads back byte-identical from `host`, and each tag names the index. */
async function expectReplicated(host: string, repository: string, image: TestImage, tags: readonly string[]) {
  for (const manifest of image.manifests)
    expect((await skopeoRaw(`${host}/${repository}@${manifest.digest}`)).equals(manifest.bytes)).toBe(true);
  for (const tag of tags)
    expect((await skopeoRaw(`${host}/${repository}:${tag}`)).equals(image.root.bytes)).toBe(true);
}

function types(recorded: Recorded): string[] {
  return recorded.events
    .map((e) => `${e["detail-type"]} ${"region" in e.detail ? e.detail.region : ""}`)
    .sort();
}

describe("createReplicateHandler against two replica registries", () => {
  it("copies the index digest-identically to every replica region, tags it, creates the repositories and records it", async () => {
    const { image, state } = await promotedCandidate("team/app");
    const recorded = recorder();
    const result = await replicated(createReplicateHandler(deps(recorded)), promotedEvent(state));

    expect(result.attempted.map((r) => [r.region, r.kind]).sort()).toEqual([
      [AP, "replicated"],
      [EU, "replicated"],
    ]);
    expect(result.missing).toEqual([]);
    await expectReplicated(eu.host, "team/app", image, ["main", "latest"]);
    await expectReplicated(ap.host, "team/app", image, ["main", "latest"]);
    const created = ecrMock.commandCalls(CreateRepositoryCommand).map((c) => c.args[0].input.repositoryName);
    expect(created).toEqual(["team/app", "team/app"]);
    const after = await stored(state);
    expect(after.replicas[EU]).toMatchObject({ status: "replicated", attempts: 1 });
    expect(after.replicas[AP]).toMatchObject({ status: "replicated", attempts: 1 });
    expect(after.version).toBe(3);
    expect(types(recorded)).toEqual([`Image Replicated ${AP}`, `Image Replicated ${EU}`]);
    expect(recorded.events[0]?.detail).toMatchObject({
      candidate: state.key,
      git: { commit: COMMIT },
      digest: state.key.digest,
    });
    expect(recorded.notifications).toEqual([]);
  });

  it("reads each blob from the primary once for both regions (one fan-out), and counts it", async () => {
    const { image, state } = await promotedCandidate("team/app");
    const reads = new Map<string, number>();
    const primaryClient = clients[PRIMARY] as RegistryClient;
    const counting: RegistryDirectory = {
      clientFor: (region) =>
        region !== PRIMARY
          ? (clients[region] as RegistryClient)
          : {
              ...delegate(primaryClient, async () => undefined),
              getBlob: (repository, blob) => {
                reads.set(blob.digest, (reads.get(blob.digest) ?? 0) + 1);
                return primaryClient.getBlob(repository, blob);
              },
            },
    };
    const counted: Record<string, number> = {};
    const metrics = {
      count(name: string, value = 1) {
        counted[name] = (counted[name] ?? 0) + value;
      },
      duration() {},
    };
    const result = await replicated(
      createReplicateHandler({ ...deps(recorder(), counting), metrics }),
      promotedEvent(state),
    );
    expect(result.attempted.map((r) => r.kind)).toEqual(["replicated", "replicated"]);
    expect([...reads.keys()].sort()).toEqual(image.blobs.map((b) => b.descriptor.digest).sort());
    expect([...reads.values()].every((n) => n === 1)).toBe(true);
    const bytes = image.blobs.reduce((sum, b) => sum + b.descriptor.size, 0);
    expect(counted.ReplicationSourceBytes).toBe(bytes);
    expect(counted.ReplicationBytes).toBe(2 * bytes);
    await expectReplicated(eu.host, "team/app", image, ["main", "latest"]);
    await expectReplicated(ap.host, "team/app", image, ["main", "latest"]);
  });

  it("retries alone, within the invocation, a region whose upload resets mid-blob, and records one attempt", async () => {
    const { image, state } = await promotedCandidate("team/app");
    const proxy = await startFaultProxy(eu.host);
    const euClient = createRegistryClient(proxy.host, { retry });
    const big = [...image.blobs].sort((x, y) => y.descriptor.size - x.descriptor.size)[0]?.descriptor;
    proxy.faults([
      {
        method: "PUT",
        path: new RegExp(`sha256(?::|%3A)${big?.digest.slice("sha256:".length)}`),
        times: 1,
        fault: { kind: "drop-request", afterBytes: 64 * 1024 },
      },
    ]);
    const resetting: RegistryDirectory = {
      clientFor: (region) => (region === EU ? euClient : (clients[region] as RegistryClient)),
    };
    try {
      const recorded = recorder();
      const result = await replicated(
        createReplicateHandler(deps(recorded, resetting)),
        promotedEvent(state),
      );
      expect(result.attempted.map((r) => [r.region, r.kind]).sort()).toEqual([
        [AP, "replicated"],
        [EU, "replicated"],
      ]);
      expect(
        proxy.seen.filter((r) => r.method === "PUT" && r.path.includes(big?.digest.slice(7) ?? "none"))
          .length,
      ).toBe(2);
      const after = await stored(state);
      expect(after.replicas[EU]).toMatchObject({ status: "replicated", attempts: 1 });
      expect(types(recorded)).toEqual([`Image Replicated ${AP}`, `Image Replicated ${EU}`]);
      await expectReplicated(eu.host, "team/app", image, ["main", "latest"]);
      await expectReplicated(ap.host, "team/app", image, ["main", "latest"]);
    } finally {
      euClient.close();
      await proxy.stop();
    }
  });

  it("brings the index's referrers (a signature and a referrer of it) to every region and lists them there", async () => {
    const { state, image } = await promotedCandidate("team/signed");
    const client = clients[PRIMARY] as RegistryClient;
    const signature = artifactFor(image.root, "application/vnd.example.sig", Buffer.from("signed"));
    const counter = artifactFor(signature.root, "application/vnd.example.counter", Buffer.from("counter"));
    for (const artifact of [signature, counter]) {
      await pushTestImage(client, "team/signed", artifact);
      await pushReferrer(client, "team/signed", artifact.root);
    }
    const result = await replicated(createReplicateHandler(deps(recorder())), promotedEvent(state));

    expect(result.attempted.map((r) => r.kind)).toEqual(["replicated", "replicated"]);
    for (const host of [eu.host, ap.host]) {
      for (const artifact of [signature, counter])
        expect(
          (await skopeoRaw(`${host}/team/signed@${artifact.root.digest}`)).equals(artifact.root.bytes),
        ).toBe(true);
      const replica = createRegistryClient(host);
      const listed = await findReferrers(replica, "team/signed", signature.root.digest);
      replica.close();
      expect(listed.manifests.map((d) => d.digest)).toEqual([counter.root.digest]);
    }
  });

  it("does nothing again for a redelivered event", async () => {
    const { state } = await promotedCandidate("team/app");
    await replicated(createReplicateHandler(deps(recorder())), promotedEvent(state));
    const again = recorder();
    const event = promotedEvent(state);
    const result = await createReplicateHandler(deps(again))(event);
    expect(result).toMatchObject({ attempted: [], missing: [], published: [] });
    expect(again.events).toEqual([]);
    expect((await stored(state)).version).toBe(3);
  });

  it("lets two racing invocations replicate once: one event per region, attempts counted once", async () => {
    const { image, state } = await promotedCandidate("team/app");
    const recorded = recorder();
    const handler = createReplicateHandler(deps(recorded));
    await Promise.all([handler(promotedEvent(state)), handler(promotedEvent(state))]);
    expect(types(recorded)).toEqual([`Image Replicated ${AP}`, `Image Replicated ${EU}`]);
    const after = await stored(state);
    expect(after.replicas[EU]).toMatchObject({ status: "replicated", attempts: 1 });
    expect(after.replicas[AP]).toMatchObject({ status: "replicated", attempts: 1 });
    await expectReplicated(eu.host, "team/app", image, ["main", "latest"]);
  });

  it("records a region whose registry stops mid-copy as failed, keeps the other, and a retry after it is back copies only the missing region", async () => {
    const { image, state } = await promotedCandidate("team/other");
    let stopped = false;
    const stopping: RegistryDirectory = {
      clientFor(region) {
        const client = clients[region] as RegistryClient;
        if (region !== AP) return client;
        return delegate(client, async () => {
          if (stopped) return;
          stopped = true;
          await ap.stop();
        });
      },
    };
    const first = recorder();
    const error = await createReplicateHandler(deps(first, stopping))(promotedEvent(state)).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ReplicationIncompleteError);
    expect((error as ReplicationIncompleteError).failed.map((f) => f.region)).toEqual([AP]);
    let after = await stored(state);
    expect(after.replicas[EU]).toMatchObject({ status: "replicated", attempts: 1 });
    expect(after.replicas[AP]).toMatchObject({ status: "failed", attempts: 1 });
    expect(after.replicas[AP]?.error).toMatch(/copying .*team\/other/);
    expect(types(first)).toEqual([`Image Replicated ${EU}`, `Replication Failed ${AP}`]);
    expect(first.notifications).toHaveLength(1);
    expect(first.notifications[0]).toMatchObject({
      id: `team/other@${state.key.digest}/replication-failed/${AP}`,
      attributes: { repository: "team/other", outcome: "replication-failed", region: AP },
    });
    await expectReplicated(eu.host, "team/other", image, ["main", "latest"]);

    ap = await startRegistry();
    apForwarder.target = ap.host;
    const second = recorder();
    const euPushes: string[] = [];
    const watching: RegistryDirectory = {
      clientFor(region) {
        const client = clients[region] as RegistryClient;
        return region === EU ? delegate(client, async () => void euPushes.push("blob")) : client;
      },
    };
    const result = await replicated(createReplicateHandler(deps(second, watching)), promotedEvent(state));
    expect(result.attempted.map((r) => [r.region, r.kind])).toEqual([[AP, "replicated"]]);
    expect(euPushes).toEqual([]);
    after = await stored(state);
    expect(after.replicas[AP]).toMatchObject({ status: "replicated", attempts: 2 });
    expect(types(second)).toEqual([`Image Replicated ${AP}`]);
    expect(second.notifications).toEqual([]);
    await expectReplicated(ap.host, "team/other", image, ["main", "latest"]);
  });

  it("moves in a replica only the tags the primary still points at this image", async () => {
    const { image, state } = await promotedCandidate("team/app", ["1.0.0", "latest"]);
    const newer = await randomIndex({ attestations: false });
    const client = clients[PRIMARY] as RegistryClient;
    await pushTestImage(client, "team/app", newer, "latest");
    const result = await replicated(createReplicateHandler(deps(recorder())), promotedEvent(state));
    const eu1 = result.attempted.find((r) => r.region === EU);
    expect(eu1).toMatchObject({ kind: "replicated", tags: ["1.0.0"], superseded: ["latest"] });
    await expectReplicated(eu.host, "team/app", image, ["1.0.0"]);
    const euLatest = await (clients[EU] as RegistryClient).headManifest("team/app", "latest");
    expect(euLatest?.digest).not.toBe(image.root.digest);
  });

  it("gives up quietly on a region after the maximum attempts", async () => {
    const { state } = await promotedCandidate("team/app");
    const broken: RegistryDirectory = {
      clientFor: (region) =>
        region === EU
          ? createRegistryClient("127.0.0.1:9", { retry: { ...retry, retries: 0 } })
          : (clients[region] as RegistryClient),
    };
    const recorded = recorder();
    const handler = createReplicateHandler({
      ...deps(recorded, broken),
      options: { retry, maxReplicationAttempts: 2 },
    });
    await expect(handler(promotedEvent(state))).rejects.toBeInstanceOf(ReplicationIncompleteError);
    const last = await replicated(handler, promotedEvent(state));
    expect(last.missing).toEqual([EU]);
    expect((await stored(state)).replicas[EU]).toMatchObject({ status: "failed", attempts: 2 });
    expect(await handler(promotedEvent(state))).toMatchObject({ attempted: [], missing: [EU] });
    expect(types(recorded).filter((t) => t.startsWith("Replication Failed"))).toHaveLength(2);
    expect(recorded.notifications).toHaveLength(1);
  });
});

describe("createReplicateHandler refuses events before doing anything", () => {
  it("refuses an event from another account, leaving the candidate as it was", async () => {
    const { state } = await promotedCandidate("team/app");
    const recorded = recorder();
    const result = await createReplicateHandler(deps(recorded))(
      promotedEvent(state, { account: "210987654321" }),
    );
    expect(result).toEqual({
      kind: "refused",
      field: "account",
      value: "210987654321",
      reason: `is not the account Portcullis runs in (${ACCOUNT})`,
    });
    expect((await stored(state)).version).toBe(1);
    expect(recorded.events).toEqual([]);
    expect(ecrMock.commandCalls(CreateRepositoryCommand)).toHaveLength(0);
  });

  it.each([
    [EU, "team/app", "detail.candidate.region", `is not a region Portcullis gates (${PRIMARY})`],
    [
      PRIMARY,
      "elsewhere/app",
      "detail.candidate.repository",
      "is not a repository Portcullis gates (team/app, team/other, team/signed)",
    ],
  ])("refuses a candidate in %s/%s, naming %s", async (region, repository, field, reason) => {
    const digest = `sha256:${"1".repeat(64)}` as const;
    const event = portcullisEvent(
      "Image Promoted",
      { candidate: { region, repository, digest }, tags: ["main"] },
      { account: ACCOUNT },
    );
    const result = await createReplicateHandler(deps(recorder()))(event);
    expect(result).toMatchObject({ kind: "refused", field, reason });
  });

  it("throws a ValidationError naming the detail-type for another kind of event", async () => {
    const event = portcullisEvent(
      "Replication Failed",
      {
        candidate: { region: PRIMARY, repository: "team/app", digest: `sha256:${"2".repeat(64)}` },
        region: EU,
        error: "x",
      },
      { account: ACCOUNT },
    );
    const error = await createReplicateHandler(deps(recorder()))(event).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([
      { field: "detail-type", value: "Replication Failed", message: 'must be "Image Promoted"' },
    ]);
  });

  it("throws a ValidationError naming each invalid field of a malformed event", async () => {
    const { state } = await promotedCandidate("team/app");
    const event = promotedEvent(state) as { detail: { candidate: Record<string, unknown> } };
    event.detail.candidate.digest = "sha256:abc";
    const error = await createReplicateHandler(deps(recorder()))(event).catch((e: unknown) => e);
    expect((error as ValidationError).issues.map((i) => [i.field, i.value])).toEqual([
      ["detail.candidate.digest", "sha256:abc"],
    ]);
    expect((await stored(state)).version).toBe(1);
  });
});

/** A client that runs `beforePush` before each blob push, delegating everything to `client`. */
function delegate(client: RegistryClient, beforePush: () => Promise<void>): RegistryClient {
  return {
    get registry() {
      return client.registry;
    },
    getManifest: (repository, reference) => client.getManifest(repository, reference),
    headManifest: (repository, reference) => client.headManifest(repository, reference),
    putManifest: (repository, reference, manifest) => client.putManifest(repository, reference, manifest),
    blobExists: (repository, digest) => client.blobExists(repository, digest),
    getBlob: (repository, blob) => client.getBlob(repository, blob),
    async pushBlob(repository, blob, open, options) {
      await beforePush();
      return client.pushBlob(repository, blob, open, options);
    },
    listTags: (repository) => client.listTags(repository),
    listReferrers: (repository, digest, artifactType) =>
      client.listReferrers(repository, digest, artifactType),
    close: () => client.close(),
  };
}
