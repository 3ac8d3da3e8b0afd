import { ValidationError } from "../core/index.ts";
import { mapLimit, type RetryOptions } from "../registry/index.ts";
import { type Candidate, nextAction, type PromotedCandidate } from "../release/index.ts";
import type { ReleaseStore } from "../store/index.ts";
import type {
  Clock,
  EventPublisher,
  Log,
  MetricsSink,
  NotificationPublisher,
  RegistryDirectory,
  RepositoryProvisioner,
} from "./ports.ts";
import { publishOutcomes } from "./replicateEffects.ts";
import {
  CandidateNotFoundError,
  CandidateNotPromotedError,
  ReplicationIncompleteError,
} from "./replicateErrors.ts";
import { parseReplicateEvent, type ReplicateScope } from "./replicateEvent.ts";
import { serialRecorder } from "./replicateRecord.ts";
import { type RegionResult, replicateRegion } from "./replicateRegion.ts";

/** The ports the replicate handler takes. */
export interface ReplicateHandlerDeps {
  readonly store: ReleaseStore<Candidate>;
  readonly registries: RegistryDirectory;
  readonly provisioner: RepositoryProvisioner;
  readonly bus: EventPublisher;
  readonly notifications: NotificationPublisher;
  readonly clock: Clock;
  readonly log: Log;
  readonly metrics?: MetricsSink;
  readonly scope: ReplicateScope;
  readonly options?: Partial<ReplicateOptions>;
}

/** How the replicate handler works. */
export interface ReplicateOptions {
  /** Regions copied at once. */
  readonly regionConcurrency: number;
  /** Blobs in flight per copy. */
  readonly blobConcurrency: number;
  /** Attempts per region before giving up (then only an operator's redrive or a new promotion helps). */
  readonly maxReplicationAttempts: number;
  /** Fail the invocation when a region failed with attempts left, so Lambda retries it (see ReplicationIncompleteError). */
  readonly failWhenIncomplete: boolean;
  /** The registry transport's retries within one attempt. */
  readonly retry?: RetryOptions;
}

/** Defaults of {@link ReplicateOptions}. */
export const replicateDefaults: ReplicateOptions = {
  regionConcurrency: 2,
  blobConcurrency: 4,
  maxReplicationAttempts: 5,
  failWhenIncomplete: true,
};

/** What one invocation did. */
export interface ReplicateResult {
  readonly candidate: PromotedCandidate["key"];
  /** The regions attempted by this invocation and how each went. */
  readonly attempted: readonly RegionResult[];
  /** Regions not replicated after this invocation (failed, or given up after the maximum attempts). */
  readonly missing: readonly string[];
  /** Outcomes published (events and notifications) by this invocation. */
  readonly published: readonly string[];
}

/**
 * Makes the handler of Portcullis's "Image Promoted" event: copies the promoted index, digest-identically, to
 * every replica region still missing it (creating the repository there with the primary's settings first), moves
 * the promotion tags there, records each region's result in the candidate (conditional write, retried on
 * conflict), and publishes "Image Replicated" / "Replication Failed" plus a notification per failed region, each
 * exactly once. A failing region does not stop the others; a retry copies only to the regions still missing.
 * Throws ValidationError for an event it refuses, before doing anything.
 * @example
 * const handler = createReplicateHandler({ store, registries, provisioner, bus, notifications, clock, log, scope });
 * await handler(imagePromotedEvent); // => { attempted: [{ kind: "replicated", region: "eu-west-1", … }], missing: [] }
 */
export function createReplicateHandler(
  deps: ReplicateHandlerDeps,
): (event: unknown) => Promise<ReplicateResult> {
  const options = { ...replicateDefaults, ...deps.options };
  return async function replicate(event: unknown): Promise<ReplicateResult> {
    const request = parseReplicateEvent(event, deps.scope);
    if (!request.ok) throw new ValidationError("Image Promoted event", request.error);
    const state = await deps.store.getCandidate(request.value.key);
    if (state === undefined) throw new CandidateNotFoundError(request.value.key);
    if (state.phase !== "promoted") throw new CandidateNotPromotedError(state.key, state.phase);
    const action = nextAction(state, deps.clock.now(), options);
    const regions = action.kind === "replicate" ? action.regions : [];
    const recorder = serialRecorder(deps.store, state);
    const attempted = await mapLimit(regions, options.regionConcurrency, async (region) => {
      const result = await replicateRegion(
        {
          sourceRegion: state.key.region,
          region,
          repository: state.key.repository,
          digest: state.key.digest,
          tags: state.promotion.tags,
        },
        { ...deps, concurrency: options.blobConcurrency, retry: options.retry },
      );
      report(deps, result);
      await recorder.record(
        result.kind === "replicated"
          ? { region, outcome: "replicated", now: deps.clock.now() }
          : { region, outcome: "failed", error: result.error, now: deps.clock.now() },
      );
      return result;
    });
    const final = recorder.state as PromotedCandidate;
    const published = await publishOutcomes(final, { ...deps, account: deps.scope.account });
    const missing = Object.entries(final.replicas)
      .filter(([, r]) => r.status !== "replicated")
      .map(([region]) => region);
    deps.log.info("replication finished", { attempted: attempted.map(summary), missing, published });
    const retryable = nextAction(final, deps.clock.now(), options);
    const failed = attempted.filter((r) => r.kind === "failed");
    if (options.failWhenIncomplete && retryable.kind === "replicate" && failed.length > 0)
      throw new ReplicationIncompleteError(
        final.key,
        failed.map((r) => ({ region: r.region, error: r.kind === "failed" ? r.error : "" })),
      );
    return { candidate: final.key, attempted, missing, published };
  };
}

function report(deps: ReplicateHandlerDeps, result: RegionResult): void {
  const dimensions = { region: result.region };
  deps.metrics?.duration("ReplicationDuration", result.milliseconds, dimensions);
  if (result.kind === "replicated") {
    deps.metrics?.count("RegionsReplicated", 1, dimensions);
    deps.metrics?.count("ReplicationBytes", result.bytesSent, dimensions);
    deps.log.info("region replicated", summary(result));
  } else {
    deps.metrics?.count("RegionReplicationFailures", 1, dimensions);
    deps.log.warn("region replication failed", summary(result));
  }
}

function summary(result: RegionResult): Record<string, unknown> {
  return { ...result };
}
