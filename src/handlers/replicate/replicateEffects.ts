import type { Clock, Log } from "../../core/index.ts";
import {
  type GitInfo,
  PortcullisDetailType,
  type PortcullisEvent,
  portcullisEvent,
} from "../../events/index.ts";
import type { Candidate, GitMetadata, PromotedCandidate, Replica } from "../../release/index.ts";
import type { ReleaseStore } from "../../store/index.ts";
import { runOnce } from "../effects/runOnce.ts";
import type { EventPublisher, Notification, NotificationPublisher } from "../ports.ts";

/** What publishing replication outcomes needs. */
export interface OutcomeDeps {
  readonly store: Pick<ReleaseStore<Candidate>, "claimEffect" | "completeEffect" | "releaseEffect">;
  readonly events: EventPublisher;
  readonly notifications: NotificationPublisher;
  readonly clock: Clock;
  /** Where a claim that could not be given up is reported. */
  readonly log: Log;
  /** Stamped on the events (EventBridge replaces it with the real account on PutEvents). */
  readonly account?: string;
  /** How long an invocation holds the claim on publishing one outcome before another may take it over. */
  readonly leaseSeconds: number;
}

/**
 * Publishes each region's latest outcome exactly once, derived from the stored state: "Image Replicated" for a
 * replicated region, "Replication Failed" for each failed attempt, and one notification per region that failed.
 * Each publication is claimed in the store first, so redeliveries and concurrent invocations do not repeat it,
 * and one that a crashed invocation left unpublished is published by the next. Returns the effects published.
 * @example await publishOutcomes(state, { store, events, notifications, clock, leaseSeconds: 300 });
 */
export async function publishOutcomes(state: PromotedCandidate, deps: OutcomeDeps): Promise<string[]> {
  const published: string[] = [];
  for (const [region, replica] of Object.entries(state.replicas)) {
    if (replica.status === "replicated") {
      if (
        await once(state, `event:replicated:${region}`, deps, () =>
          deps.events.publish([replicated(state, region, replica, deps)]),
        )
      )
        published.push(`replicated:${region}`);
    } else if (replica.status === "failed") {
      const event = `event:replication-failed:${region}:${replica.attempts}`;
      if (await once(state, event, deps, () => deps.events.publish([failed(state, region, replica, deps)])))
        published.push(`replication-failed:${region}:${replica.attempts}`);
      if (
        await once(state, `notify:replication-failed:${region}`, deps, () =>
          deps.notifications.publish(failureNotification(state, region, replica)),
        )
      )
        published.push(`notified:${region}`);
    }
  }
  return published;
}

/** Publishes one outcome through runOnce (claimed, then done); true when this call performed it. */
async function once(
  state: PromotedCandidate,
  effect: string,
  deps: OutcomeDeps,
  perform: () => Promise<void>,
): Promise<boolean> {
  const ctx = { ...deps, settings: { effectLeaseSeconds: deps.leaseSeconds } };
  return (await runOnce(ctx, state.key, effect, perform)).kind === "performed";
}

function replicated(
  state: PromotedCandidate,
  region: string,
  replica: Replica,
  deps: OutcomeDeps,
): PortcullisEvent {
  return portcullisEvent(
    PortcullisDetailType.ImageReplicated,
    { candidate: state.key, git: gitInfo(state.git), region, digest: state.key.digest },
    eventOptions(replica, deps),
  );
}

function failed(
  state: PromotedCandidate,
  region: string,
  replica: Replica,
  deps: OutcomeDeps,
): PortcullisEvent {
  return portcullisEvent(
    PortcullisDetailType.ReplicationFailed,
    { candidate: state.key, git: gitInfo(state.git), region, error: replica.error || "unknown error" },
    eventOptions(replica, deps),
  );
}

function eventOptions(replica: Replica, deps: OutcomeDeps) {
  return { time: new Date(replica.at), ...(deps.account !== undefined && { account: deps.account }) };
}

/**
 * The notification for a region that failed: one per candidate and region (its id), filterable on repository,
 * outcome and region.
 */
export function failureNotification(
  state: PromotedCandidate,
  region: string,
  replica: Replica,
): Notification {
  const { repository, digest } = state.key;
  return {
    id: `${repository}@${digest}/replication-failed/${region}`,
    subject: `Replication failed: ${repository} to ${region}`,
    body: {
      kind: "replication-failed",
      candidate: state.key,
      git: gitInfo(state.git),
      tags: state.promotion.tags,
      region,
      error: replica.error ?? "",
      attempts: replica.attempts,
      at: replica.at,
    },
    attributes: { repository, outcome: "replication-failed", region },
  };
}

/** The event's git block: the candidate's metadata, leaving out what the event schema would refuse. */
function gitInfo(git: GitMetadata): GitInfo {
  return {
    ...(git.revision !== undefined && { commit: git.revision }),
    ...(git.ref !== undefined && git.ref.length > 0 && git.ref.length <= 1024 && { ref: git.ref }),
    ...(git.source !== undefined && git.source.length > 0 && { source: git.source }),
  };
}
