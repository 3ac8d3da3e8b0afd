import { randomUUID } from "node:crypto";
import type { Digest } from "../../../src/core/index.ts";
import type { HandlerDeps, HandlerSettings, RegistryDirectory } from "../../../src/handlers/index.ts";
import { type Policy, parsePolicy } from "../../../src/policy/index.ts";
import { createRegistryClient, type RegistryClient } from "../../../src/registry/index.ts";
import type { Candidate } from "../../../src/release/index.ts";
import { type CandidateStore, createReleaseStore, createTable } from "../../../src/store/index.ts";
import { startRegistry, type TestRegistry } from "../../support/registry.ts";
import { skopeoRaw } from "../../support/skopeo.ts";
import { type DynaliteHandle, startDynalite } from "../../support/startDynalite.ts";
import { ACCOUNT, REGION } from "./events.ts";
import { FakeFindings } from "./fakeFindings.ts";
import {
  RecordingBus,
  RecordingLog,
  RecordingMetrics,
  RecordingNotifications,
  TestClock,
} from "./recorders.ts";

/** The gate policy of the tests: no CRITICAL or HIGH at all; `team/demote` demotes on new findings. */
export const POLICY_TEXT = `
version: 1
thresholds:
  fixable: { CRITICAL: 0, HIGH: 0 }
  unfixable: { CRITICAL: 0, HIGH: 0 }
scan: { timeoutMinutes: 30 }
onNewFinding: notify
overrides:
  - repositories: ["team/demote"]
    onNewFinding: demote
`;

/** The repositories the handlers are configured for. */
export const REPOSITORIES = ["team/app", "team/demote", "team/single", "team/race"] as const;

/** Shared services of a test file: dynalite and one distribution registry (the us-east-1 "ECR"). */
export interface Services {
  readonly dynamo: DynaliteHandle;
  readonly registry: TestRegistry;
  readonly client: RegistryClient;
  stop(): Promise<void>;
}

/** Starts dynalite and a registry on free loopback ports. */
export async function startServices(): Promise<Services> {
  const [dynamo, registry] = await Promise.all([startDynalite(), startRegistry()]);
  const client = createRegistryClient(registry.host);
  return {
    dynamo,
    registry,
    client,
    async stop() {
      client.close();
      await Promise.all([dynamo.stop(), registry.stop()]);
    },
  };
}

/** One test's deps, with every port recording what the handlers did. */
export interface Harness {
  readonly deps: HandlerDeps;
  readonly store: CandidateStore;
  readonly clock: TestClock;
  readonly bus: RecordingBus;
  readonly notifications: RecordingNotifications;
  readonly log: RecordingLog;
  readonly metrics: RecordingMetrics;
  readonly findings: FakeFindings;
  readonly registry: FlakyDirectory;
  /** The stored candidate. */
  candidate(digest: Digest, repository?: string): Promise<Candidate | undefined>;
  /** The index digest a tag points at, as skopeo reads it (undefined when the tag does not exist). */
  tagBytes(repository: string, tag: string): Promise<Buffer | undefined>;
}

/** A registry directory whose next `clientFor` calls can be made to fail (a registry outage). */
export class FlakyDirectory implements RegistryDirectory {
  failures = 0;
  constructor(private readonly client: RegistryClient) {}
  clientFor(region: string): RegistryClient {
    if (region !== REGION) throw new Error(`no registry configured for ${region}`);
    if (this.failures > 0) {
      this.failures--;
      throw Object.assign(new Error("connect ECONNREFUSED (test outage)"), { code: "ECONNREFUSED" });
    }
    return this.client;
  }
}

/** A fresh harness on its own table, so tests do not see each other's candidates. */
export async function harness(services: Services, settings: Partial<HandlerSettings> = {}): Promise<Harness> {
  const tableName = `release-${randomUUID()}`;
  await createTable(services.dynamo.client, tableName);
  const store = createReleaseStore({ client: services.dynamo.client, tableName, pollAfterMinutes: 10 });
  const clock = new TestClock(new Date("2026-03-01T10:00:00.000Z"));
  const bus = new RecordingBus();
  const notifications = new RecordingNotifications();
  const log = new RecordingLog();
  const metrics = new RecordingMetrics();
  const findings = new FakeFindings();
  const registry = new FlakyDirectory(services.client);
  const deps: HandlerDeps = {
    store,
    registry,
    findings,
    events: bus,
    notifications,
    clock,
    log,
    metrics,
    settings: {
      account: ACCOUNT,
      regions: [REGION],
      repositories: [...REPOSITORIES],
      replicaRegions: ["eu-west-1"],
      policy: testPolicy(),
      refFilter: { branches: ["main"], tagPatterns: ["v*"] },
      ...settings,
    },
  };
  return {
    deps,
    store,
    clock,
    bus,
    notifications,
    log,
    metrics,
    findings,
    registry,
    candidate: (digest, repository = "team/app") =>
      store.getCandidate({ region: REGION, repository, digest }),
    async tagBytes(repository, tag) {
      try {
        return await skopeoRaw(`${services.registry.host}/${repository}:${tag}`);
      } catch {
        return undefined;
      }
    },
  };
}

/** The tests' policy. */
export function testPolicy(): Policy {
  const parsed = parsePolicy(POLICY_TEXT);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
  return parsed.value;
}
