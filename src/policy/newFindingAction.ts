import type { OnNewFinding } from "./Policy.ts";

/** What `onNewFinding` asks for, in one shape: notify, or demote after `afterDays` (0: at once). */
export interface NewFindingAction {
  readonly action: "notify" | "demote";
  readonly afterDays: number;
}

/**
 * Reads a repository's `onNewFinding` as an action and a grace period.
 * @example newFindingAction({ action: "demote", afterDays: 7 }) // => { action: "demote", afterDays: 7 }
 */
export function newFindingAction(onNewFinding: OnNewFinding): NewFindingAction {
  if (typeof onNewFinding === "string") return { action: onNewFinding, afterDays: 0 };
  return { action: onNewFinding.action, afterDays: onNewFinding.afterDays };
}
