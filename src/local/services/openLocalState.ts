import { access } from "node:fs/promises";
import { relative } from "node:path";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { PortcullisConfig } from "../../config/index.ts";
import { handlerDefaults } from "../../handlers/HandlerDeps.ts";
import type { OperatorPorts } from "../../operator/OperatorPorts.ts";
import { createReleaseStore, DynamoReleaseCatalog } from "../../store/index.ts";
import { LocalRegistryDirectory } from "../adapters/LocalRegistryDirectory.ts";
import { NoLocalStateError } from "../errors.ts";
import { LocalDynamo } from "./LocalDynamo.ts";
import { keptRegistryHosts } from "./LocalServices.ts";
import { type StateLayout, stateLayoutDefaults } from "./StateLayout.ts";
import { StateLock } from "./StateLock.ts";

/** Options for {@link openLocalState}. */
export interface OpenLocalStateOptions {
  readonly layout: StateLayout;
  /** Where the folder is named from in messages (the working directory). */
  readonly cwd: string;
  readonly config: PortcullisConfig;
}

/** The operator's ports over a local run's state, and the regions whose registry is not running. */
export interface LocalState {
  readonly ports: OperatorPorts;
  /** `region → why` for each region whose registry is not running (it is not read). */
  readonly offline: Readonly<Record<string, string>>;
  /** The running registries, `region → 127.0.0.1:PORT` (a region not running is absent). */
  readonly hosts: Readonly<Record<string, string>>;
  /** The persisted state table, served by dynalite until {@link close}. */
  readonly table: { readonly client: DynamoDBClient; readonly tableName: string };
  /** Stops dynalite and releases the state folder. */
  close(): Promise<void>;
}

/**
 * Opens what `npm start` left in the state folder for `portcullis status --local` / `history --local`: takes
 * the folder's lock (a run in progress is refused with StateLockedError), starts dynalite over the persisted
 * table on a free loopback port, and reads the registries a `--keep` run left running. Throws
 * NoLocalStateError when the folder holds no table.
 * @example const state = await openLocalState({ layout, cwd, config }); try { … } finally { await state.close(); }
 */
export async function openLocalState(options: OpenLocalStateOptions): Promise<LocalState> {
  const { layout, config } = options;
  const folder = relative(options.cwd, layout.root) || ".";
  const present = await access(layout.table).then(
    () => true,
    () => false,
  );
  if (!present) throw new NoLocalStateError(folder);
  const lock = await StateLock.acquire({ file: layout.lockFile, folder });
  let dynamo: LocalDynamo;
  try {
    dynamo = await LocalDynamo.start({
      tableName: stateLayoutDefaults.tableName,
      region: config.primaryRegion,
      path: layout.table,
    });
  } catch (error) {
    await lock.release();
    throw error;
  }
  const regions = [config.primaryRegion, ...config.replicaRegions];
  const hosts = await keptRegistryHosts(layout);
  const offline = Object.fromEntries(
    regions
      .filter((region) => hosts[region] === undefined)
      .map((region) => [region, "registry not running (`npm start -- --keep` leaves them running)"]),
  );
  const registry = new LocalRegistryDirectory({
    hosts,
    retry: { retries: 1, baseDelayMs: 50, maxDelayMs: 200, maxRetryAfterMs: 1000 },
  });
  const table = { client: dynamo.client, tableName: stateLayoutDefaults.tableName };
  return {
    ports: {
      store: createReleaseStore(table),
      catalog: new DynamoReleaseCatalog(table),
      registry,
      settings: {
        regions,
        replicaRegions: config.replicaRegions,
        repositories: config.repositories.map((repository) => repository.name),
        maxReplicationAttempts: handlerDefaults.maxReplicationAttempts,
        replicationRetryMinutes: handlerDefaults.replicationRetryMinutes,
      },
      clock: { now: () => new Date() },
    },
    offline,
    hosts,
    table,
    async close() {
      registry.close();
      await dynamo.stop();
      await lock.release();
    },
  };
}
