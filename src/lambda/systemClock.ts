import type { Clock } from "../handlers/ports.ts";

/** The Lambda's own clock. */
export const systemClock: Clock = { now: () => new Date() };
