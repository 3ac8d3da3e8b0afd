import type { CandidateKey, Digest } from "../../core/index.ts";
import { type Candidate, nextAction } from "../../release/index.ts";
import type { CandidateStore } from "../../store/index.ts";
import type { LocalClock } from "../adapters/LocalClock.ts";
import type { LocalFindingsSource } from "../adapters/LocalFindingsSource.ts";
import type { LocalEventBus } from "../bus/LocalEventBus.ts";
import type { LocalScheduler } from "../bus/LocalScheduler.ts";
import type { LocalTopic } from "../bus/LocalTopic.ts";
import type { LocalEcr } from "../ecr/LocalEcr.ts";

/** The parts of a wired local pipeline (see wirePipeline). */
export interface LocalPipelineParts {
  readonly bus: LocalEventBus;
  readonly topic: LocalTopic;
  readonly scheduler: LocalScheduler;
  readonly ecr: LocalEcr;
  /** The scenario's scan results (switched to what ECR says later by an after-promotion step). */
  readonly findings: LocalFindingsSource;
  readonly store: CandidateStore;
  readonly clock: LocalClock;
  readonly region: string;
  readonly repository: string;
}

/** How a run reached its end. */
export type FinishReason = "done" | "no-candidate" | "out-of-ticks";

/** Options for {@link LocalPipeline.finish}. */
export interface FinishOptions {
  /** Reconciler runs allowed (each one schedule period of simulated time) before giving up. */
  readonly maxTicks: number;
  /** Told before each reconciler run. */
  readonly onTick?: (tick: number) => void;
  /** Once aborted, rejects with its reason as soon as the work in flight has settled. */
  readonly signal?: AbortSignal;
}

/**
 * Drives the wired pipeline the way AWS would: ECR's events onto the bus, deliveries until the bus and the
 * topic are quiet, then the reconciler's schedule until the candidate needs nothing more. What happens to
 * the candidate is decided by the handlers alone; this class only moves events and time, and reads state.
 * @example
 * const events = [await pipeline.pushEvent(tag), ...(await pipeline.scanEvents(digest))];
 * pipeline.deliver(events);
 * await pipeline.finish(digest, { maxTicks: 20 });
 */
export class LocalPipeline {
  constructor(readonly parts: LocalPipelineParts) {}

  /** ECR's `ECR Image Action` PUSH event for the build tag. */
  pushEvent(tag: string) {
    return this.parts.ecr.pushEvent(this.parts.repository, tag);
  }

  /** ECR's `ECR Image Scan` events, one per platform image of the index. */
  scanEvents(digest: Digest) {
    return this.parts.ecr.scanEvents(this.parts.repository, digest);
  }

  /** Puts events on the bus (like PutEvents: returns at once). */
  deliver(events: readonly unknown[]): void {
    this.parts.bus.put(events);
  }

  /** Resolves when no delivery runs on the bus or the topic (each can start the other's). */
  async settle(): Promise<void> {
    do {
      await this.parts.bus.idle();
      await this.parts.topic.idle();
    } while (this.parts.bus.busy || this.parts.topic.busy);
  }

  /** The candidate's key in the primary region. */
  key(digest: Digest): CandidateKey {
    return { region: this.parts.region, repository: this.parts.repository, digest };
  }

  /** The candidate's stored state. */
  candidate(digest: Digest): Promise<Candidate | undefined> {
    return this.parts.store.getCandidate(this.key(digest));
  }

  /** True when the handlers say nothing is left to do and the candidate is off the reconciler's index. */
  async finished(digest: Digest): Promise<boolean> {
    const state = await this.candidate(digest);
    if (!state) return false;
    if (nextAction(state, this.parts.clock.now()).kind !== "done") return false;
    const due = await this.parts.store.candidatesDue(state.phase, this.parts.clock.now().toISOString());
    return !due.some((key) => key.digest === digest && key.repository === this.parts.repository);
  }

  /** Runs the reconciler once, one schedule period later, and lets what it starts settle. */
  async tick(): Promise<unknown> {
    const result = await this.parts.scheduler.tick();
    await this.settle();
    return result;
  }

  /**
   * Settles, then runs the reconciler's schedule (simulated time) until the candidate is finished — e.g. a
   * lost scan event polled, a timeout failed closed, an interrupted promotion completed.
   */
  async finish(digest: Digest, options: FinishOptions): Promise<FinishReason> {
    await this.settle();
    for (let tick = 1; ; tick++) {
      options.signal?.throwIfAborted();
      if (await this.finished(digest)) return "done";
      if (tick > options.maxTicks) return (await this.candidate(digest)) ? "out-of-ticks" : "no-candidate";
      options.onTick?.(tick);
      await this.tick();
      options.signal?.throwIfAborted();
    }
  }
}
