import type { WaitingClock } from "../../core/index.ts";

/**
 * {@link Clock} that runs with the wall clock plus an offset the local scheduler can move forward, so a
 * reconcile run "an hour later" happens at once (simulated time; timestamps in events and state follow it).
 * @example const clock = new LocalClock(); clock.advance(5 * 60_000); clock.now()
 */
export class LocalClock implements WaitingClock {
  #offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.#offsetMs);
  }

  /** Moves simulated time forward. */
  advance(milliseconds: number): void {
    if (!(milliseconds >= 0)) throw new RangeError(`cannot move time by ${milliseconds} ms`);
    this.#offsetMs += milliseconds;
  }

  /** Waits in simulated time: moves it forward at once (a handler's backoff costs the run nothing). */
  async sleep(milliseconds: number): Promise<void> {
    this.advance(milliseconds);
  }

  /** How far simulated time is ahead of the wall clock. */
  get offsetMs(): number {
    return this.#offsetMs;
  }
}
