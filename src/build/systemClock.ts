import { setTimeout as sleep } from "node:timers/promises";
import type { Clock } from "./ports.ts";

/** The real clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => sleep(ms),
};
