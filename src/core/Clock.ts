import { setTimeout as wait } from "node:timers/promises";

/** The time; injected so tests, the reconciler and the local scheduler can move it. */
export interface Clock {
  now(): Date;
}

/** A {@link Clock} a polling loop also waits on; tests advance it instead of waiting. */
export interface WaitingClock extends Clock {
  sleep(ms: number): Promise<void>;
}

/**
 * The real clock, for every Lambda and the CLI.
 * @example await systemClock.sleep(1000); systemClock.now()
 */
export const systemClock: WaitingClock = {
  now: () => new Date(),
  sleep: (ms) => wait(ms),
};
