import type { Policy } from "./Policy.ts";

/** Values a policy file may leave out. Unknown fix info counts as fixable: the stricter table, usually. */
export const policyDefaults = {
  unknownFix: "fixable",
  allowlist: [],
  unsupportedImages: [],
  warnExpiringWithinDays: 14,
  scan: { timeoutMinutes: 60 },
  onNewFinding: "notify",
  overrides: [],
} as const satisfies Omit<Policy, "version" | "thresholds">;
