import type { Clock, Log, MetricsSink } from "../../core/index.ts";
import { ValidationError } from "../../core/index.ts";
import type { RetryOptions } from "../../registry/index.ts";
import { type Candidate, nextAction, type PromotedCandidate } from "../../release/index.ts";
import type { ReleaseStore } from "../../store/index.ts";
import { handlerDefaults } from "../HandlerDeps.ts";
import type {
  EventPublisher,
  NotificationPublisher,
  RegistryDirectory,
  RepositoryProvisioner,
} from "../ports.ts";
import { publishOutcomes } from "./replicateEffects.ts";
import {
  CandidateNotFoundError,
  CandidateNotPromotedError,
  ReplicationIncompleteError,
} from "./replicateErrors.ts";
import { parseReplicateEvent, type ReplicateRefused, type ReplicateScope } from "./replicateEvent.ts";
import { serialRecorder } from "./replicateRecord.ts";
import { type RegionResult, replicateRegions } from "./replicateRegions.ts";

/** The store calls the replicate handler makes. */
export type ReplicateStore = Pick<
  ReleaseStore<Candidate>,
  "getCandidate" | "saveCandidate" | "claimEffect" | "completeEffect" | "releaseEffect"
>;

/** The settings the replicate handler reads (field names shared with the other handlers' settings). */
export interface ReplicateSettings extends ReplicateScope {
  /** How long a claimed side effect is held before another invocation may retry it. */
  readonly effectLeaseSeconds?: number;
  /** Conditional writes tried per recorded result before giving up on a hot candidate. */
  readonly maxSaveAttempts?: number;
}

/** The ports the replicate handler takes. */
export interface ReplicateHandlerDeps {
  readonly store: ReplicateStore;
  readonly registry: RegistryDirectory;
  readonly provisioner: RepositoryProvisioner;
  readonly events: EventPublisher;
  readonly notifications: NotificationPublisher;
  readonly clock: Clock;
  readonly log: Log;
  readonly metrics: MetricsSink;
  readonly settings: ReplicateSettings;
  readonly options?: Partial<ReplicateOptions>;
}

/** How the replicate handler works. */
export interface ReplicateOptions {
  /** Blobs in flight in the fan-out to every region owed a copy (each blob read once for all of them). */
  readonly blobConcurrency: number;
  /** Attempts per region before giving up (then only an operator's redrive or a new promotion helps). */
  readonly maxReplicationAttempts: number;
  /** Fail the invocation when a region failed with attempts left, so Lambda retries it (see ReplicationIncompleteError). */
  readonly failWhenIncomplete: boolean;
  /** The registry transport's retries within one attempt (its defaults otherwise). */
  readonly retry?: RetryOptions;
}

/** Defaults of {@link ReplicateOptions} and of the optional settings. */
export const replicateDefaults = {
  blobConcurrency: 4,
  maxReplicationAttempts: handlerDefaults.maxReplicationAttempts,
  failWhenIncomplete: true,
  effectLeaseSeconds: handlerDefaults.effectLeaseSeconds,
  maxSaveAttempts: handlerDefaults.maxSaveAttempts,
} as const;

/** What one invocation did. */
export type ReplicateResult =
  | ReplicateRefused
  | {
      readonly kind: "replication";
      readonly candidate: PromotedCandidate["key"];
      /** The regions attempted by this invocation and how each went. */
      readonly attempted: readonly RegionResult[];
      /** Regions not replicated after this invocation (failed, or given up after the maximum attempts). */
      readonly missing: readonly string[];
      /** Outcomes published (events and notifications) by this invocation. */
      readonly published: readonly string[];
    };

/**
 * Makes the handler of Portcullis's "Image Promoted" event: copies the promoted index, digest-identically, to
 * every replica region still missing it in one fan-out (each blob read from the primary once for all of them;
 * creating the repository there with the primary's settings first), moves
 * the promotion tags there, records each region's result in the candidate (conditional write, retried on
 * conflict), and publishes "Image Replicated" / "Replication Failed" plus one notification per failed region,
 * each exactly once. A failing region does not stop the others; a retry copies only to the regions still
 * missing. An invalid event throws ValidationError and one out of scope is refused, both before anything is
 * done. (Settling the candidate off the reconciler's index is left to the reconciler, which also confirms the
 * promotion's own effects.)
 * @example
 * const handler = createReplicateHandler({ store, registry, provisioner, events, notifications, clock, log, metrics, settings });
 * await handler(imagePromotedEvent); // => { kind: "replication", attempted: [{ kind: "replicated", region: "eu-west-1", … }], missing: [] }
 */
export function createReplicateHandler(
  deps: ReplicateHandlerDeps,
): (event: unknown) => Promise<ReplicateResult> {
  const ctx = replicateContext(deps);
  return async function replicate(event: unknown): Promise<ReplicateResult> {
    const request = parseReplicateEvent(event, deps.settings);
    if (!request.ok) throw new ValidationError("Image Promoted event", request.error);
    if (request.value.kind === "refused") {
      deps.log.warn("replicate: event refused", { ...request.value });
      return request.value;
    }
    const state = await promotedCandidate(deps.store, request.value.key);
    const action = nextAction(state, deps.clock.now(), ctx.options);
    const regions = action.kind === "replicate" ? action.regions : [];
    const { final, attempted } = await replicateAndRecord(ctx, state, regions);
    const published = await publishOutcomes(final, {
      ...deps,
      account: deps.settings.account,
      leaseSeconds: ctx.leaseSeconds,
    });
    return finish(ctx, final, attempted, published);
  };
}

/** The handler's ports with its options and settings resolved, once per factory call. */
interface ReplicateContext {
  readonly deps: ReplicateHandlerDeps;
  readonly options: ReplicateOptions;
  readonly leaseSeconds: number;
  readonly maxSaveAttempts: number;
}

function replicateContext(deps: ReplicateHandlerDeps): ReplicateContext {
  return {
    deps,
    options: { ...replicateDefaults, ...deps.options },
    leaseSeconds: deps.settings.effectLeaseSeconds ?? replicateDefaults.effectLeaseSeconds,
    maxSaveAttempts: deps.settings.maxSaveAttempts ?? replicateDefaults.maxSaveAttempts,
  };
}

/** The candidate the event names, which must exist and be promoted. */
async function promotedCandidate(
  store: ReplicateStore,
  key: PromotedCandidate["key"],
): Promise<PromotedCandidate> {
  const state = await store.getCandidate(key);
  if (state === undefined) throw new CandidateNotFoundError(key);
  if (state.phase !== "promoted") throw new CandidateNotPromotedError(state.key, state.phase);
  return state;
}

/**
 * Copies to every region owed a copy in one fan-out (each blob read from the primary once), then records
 * each region's own result (a conditional write per region, serialized within this invocation).
 */
async function replicateAndRecord(
  ctx: ReplicateContext,
  state: PromotedCandidate,
  regions: readonly string[],
): Promise<{ final: PromotedCandidate; attempted: readonly RegionResult[] }> {
  const { deps, options } = ctx;
  if (regions.length === 0) return { final: state, attempted: [] };
  const job = { ...state.key, sourceRegion: state.key.region, regions, tags: state.promotion.tags };
  const replication = await replicateRegions(job, {
    ...deps,
    concurrency: options.blobConcurrency,
    retry: options.retry,
  });
  deps.metrics.count("ReplicationSourceBytes", replication.sourceBytes);
  const recorder = serialRecorder(deps.store, state, ctx.maxSaveAttempts);
  for (const result of replication.regions) {
    recordRegionMetrics(deps, result);
    const now = deps.clock.now();
    await recorder.record(
      result.kind === "replicated"
        ? { region: result.region, outcome: "replicated", now }
        : { region: result.region, outcome: "failed", error: result.error, now },
    );
  }
  return { final: recorder.state as PromotedCandidate, attempted: replication.regions };
}

/** The invocation's result; throws when a region failed with attempts left, so Lambda retries it. */
function finish(
  ctx: ReplicateContext,
  final: PromotedCandidate,
  attempted: readonly RegionResult[],
  published: readonly string[],
): ReplicateResult {
  const { deps, options } = ctx;
  const missing = Object.entries(final.replicas)
    .filter(([, replica]) => replica.status !== "replicated")
    .map(([region]) => region);
  deps.log.info("replicate: finished", { attempted: attempted.map((r) => ({ ...r })), missing, published });
  const failed = attempted.flatMap((r) =>
    r.kind === "failed" ? [{ region: r.region, error: r.error }] : [],
  );
  const retryable = nextAction(final, deps.clock.now(), options).kind === "replicate";
  if (options.failWhenIncomplete && retryable && failed.length > 0)
    throw new ReplicationIncompleteError(final.key, failed);
  return { kind: "replication", candidate: final.key, attempted, missing, published };
}

function recordRegionMetrics(deps: ReplicateHandlerDeps, result: RegionResult): void {
  const dimensions = { region: result.region };
  deps.metrics.duration("ReplicationDuration", result.milliseconds, dimensions);
  if (result.kind === "replicated") {
    deps.metrics.count("RegionsReplicated", 1, dimensions);
    deps.metrics.count("ReplicationBytes", result.bytesSent, dimensions);
    deps.log.info("replicate: region replicated", { ...result });
  } else {
    deps.metrics.count("ReplicationFailures", 1, dimensions);
    deps.log.warn("replicate: region failed", { ...result });
  }
}
