import { ValidationError } from "../../core/index.ts";
import { type Candidate, type ReplicationInput, recordReplication } from "../../release/index.ts";
import type { ReleaseStore } from "../../store/index.ts";
import { CandidateNotFoundError, ReplicationRecordConflictError } from "./replicateErrors.ts";

/** The store calls recording needs. */
export type RecordStore = Pick<ReleaseStore<Candidate>, "getCandidate" | "saveCandidate">;

/**
 * Records one region's attempt with recordReplication and a conditional save; on a conflict (another invocation
 * wrote first) reloads the candidate and applies the attempt again, so a region another invocation already
 * replicated stays replicated ("already-replicated", nothing written). Returns the stored state.
 * @example state = await recordAttempt(store, state, { region, outcome: "replicated", now: clock.now() }, 8);
 */
export async function recordAttempt(
  store: RecordStore,
  state: Candidate,
  input: ReplicationInput,
  maxAttempts: number,
): Promise<Candidate> {
  let current = state;
  for (let conflicts = 0; conflicts < maxAttempts; conflicts++) {
    const transition = recordReplication(current, input);
    if (transition.kind === "rejected") throw new ValidationError("replication result", transition.issues);
    if (transition.kind === "unchanged") return transition.state;
    if ((await store.saveCandidate(transition.state)) === "saved") return transition.state;
    const fresh = await store.getCandidate(current.key);
    if (fresh === undefined) throw new CandidateNotFoundError(current.key);
    current = fresh;
  }
  throw new ReplicationRecordConflictError(state.key, input.region, maxAttempts);
}

/**
 * Serializes the recording of regions finishing concurrently within one invocation, so they do not conflict
 * with each other; each record starts from the latest state this invocation knows.
 * @example const recorder = serialRecorder(store, state, 8); await recorder.record(input); recorder.state
 */
export function serialRecorder(store: RecordStore, initial: Candidate, maxAttempts: number) {
  let state = initial;
  let queue: Promise<unknown> = Promise.resolve();
  return {
    get state(): Candidate {
      return state;
    },
    record(input: ReplicationInput): Promise<Candidate> {
      const next = queue.then(async () => {
        state = await recordAttempt(store, state, input, maxAttempts);
        return state;
      });
      queue = next.catch(() => undefined);
      return next;
    },
  };
}
